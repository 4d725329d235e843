import { addDays } from '../common/dates';
import { SOURCES } from '../sources/sources.catalog';
import { REGION } from './city';
import type { FeedRecord } from './draft';
import type { CityRecords } from './records';
import type { Rng } from './rng';

/**
 * The n-th malformed record (the sources take turns): a bad check character, an impossible date,
 * a non-numeric amount, a value outside its list... Each must be rejected with a reason and the
 * rest of its file kept.
 */
export function malformedRecords(city: CityRecords, rng: Rng, n: number): FeedRecord[] {
  const out = { records: [] as FeedRecord[] };
  const records = city.of(out);
  const bad = city.personAged(rng, 30, 50);
  const badId = bad.idNo.slice(0, 17) + (bad.idNo[17] === '1' ? '2' : '1');
  const src = SOURCES[n % SOURCES.length].name;
  switch (src) {
    case 'civil-affairs':
      records.rec(src, 'death', { idNo: badId, name: bad.name, deathDate: addDays(city.asOf, -5) });
      break;
    case 'property':
      records.rec(src, 'property', { ownerIdNo: bad.idNo, ownerName: bad.name, regionCode: REGION, usage: '住宅', floorArea: 80, acquiredOn: '2020-13-45', status: 'valid' });
      break;
    case 'vehicle':
      records.rec(src, 'vehicle', { ownerIdNo: badId, ownerName: bad.name, vehicleType: '小型汽车', usage: '非营运', registeredOn: '2020-01-01', invoicePrice: 90000, status: 'normal' });
      break;
    case 'social-security':
      records.rec(src, 'contribution', { idNo: bad.idNo, name: bad.name, regionCode: REGION, period: city.months12[0], contributionBase: 'abc' });
      break;
    case 'housing-fund':
      records.rec(src, 'loan', { idNo: badId, name: bad.name, purpose: '购房', issuedOn: '2024-01-01', amount: 1 });
      break;
    case 'market-supervision':
      records.rec(src, 'enterprise', { idNo: bad.idNo, name: bad.name, role: '监事', status: '存续', registeredCapital: 10 });
      break;
    case 'public-security':
      records.rec(src, 'hukou', { idNo: badId, name: bad.name, regionCode: REGION, event: '迁出', eventDate: '2025-01-01' });
      break;
    case 'utilities':
      records.rec(src, 'meter', { accountNo: `X${n}`, addressCode: null, addressText: '石狮市某地', utility: 'steam', period: city.months6[0], usage: 5 });
      break;
  }
  return out.records;
}
