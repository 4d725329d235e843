import { evaluationCount, HouseholdDraft } from './draft';
import type { CityRecords } from './records';
import type { Rng } from './rng';

/**
 * The unit's water and electricity readings for the last 6 months, from its utilities pattern
 * and the evaluation-member count (so written after the scenario): normal use per member (now
 * and then over two electricity accounts), heavy use (300 kWh a member, a SUBLET signal), or the
 * VACANT patterns. One unit in ten is addressed by text only, without the address code.
 */
export function writeMeters(city: CityRecords, d: HouseholdDraft, rng: Rng): void {
  const unit = d.unit!;
  const records = city.of(d);
  const n = evaluationCount(d);
  const reading = (utility: string, account: string, period: string, usage: number, textOnly: boolean) =>
    records.rec('utilities', 'meter', {
      accountNo: account, addressCode: textOnly ? null : unit.addressCode, addressText: textOnly ? rng.pick(unit.variants) : unit.addressText,
      utility, period, usage,
    });
  const textOnly = rng.chance(0.1);
  const split = rng.chance(0.2);
  city.months6.forEach((m, idx) => {
    let elec: number;
    let water: number;
    switch (d.utilities) {
      case 'vacant':
      case 'vacant_two_accounts':
      case 'vacant_missing_month':
        elec = rng.int(2, 8);
        water = rng.int(1, 8) / 10;
        break;
      case 'vacant_one_month_at_10':
        elec = idx === 2 ? 10 : rng.int(2, 8);
        water = rng.int(1, 8) / 10;
        break;
      case 'power':
        elec = 300 * Math.max(n, 1);
        water = 3 * Math.max(n, 1);
        break;
      default:
        elec = Math.max(n, 1) * rng.int(60, 200);
        water = (Math.max(n, 1) * rng.int(15, 40)) / 10;
    }
    if (d.utilities === 'vacant_missing_month' && idx === 4) {
      reading('water', `W${unit.code}`, m, water, textOnly);
      return;
    }
    if (d.utilities === 'vacant_two_accounts' || (split && d.utilities === 'normal')) {
      const a = Math.floor(elec / 2);
      reading('electricity', `E${unit.code}-1`, m, a, textOnly);
      reading('electricity', `E${unit.code}-2`, m, elec - a, textOnly);
    } else reading('electricity', `E${unit.code}`, m, elec, textOnly);
    reading('water', `W${unit.code}`, m, water, textOnly);
  });
}
