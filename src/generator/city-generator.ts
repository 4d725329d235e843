import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addDays } from '../common/dates';
import { DECLARATION_MATTER, HOUSEHOLD_CATEGORY, HOUSEHOLD_STATUS, labelOf, MANAGEMENT, RELATION } from '../registry/vocabulary';
import { projectOf, projectRow } from './city';
import { evaluationCount, HouseholdDraft } from './draft';
import { FeedFiles } from './feed-files';
import { fmtAmount, fmtDate, fmtId } from './cell-forms';
import { cleanHousehold } from './households';
import { LedgerWriter } from './ledger-writer';
import { writeMeters } from './meters';
import { malformedRecords } from './noise';
import { CityRecords } from './records';
import { Rng } from './rng';
import { CLEAN, Scenario, SCENARIOS } from './scenarios/index';
import { JsonLinesWriter } from './writers';

/**
 * Synthetic city in the contract formats: the bureau's ledger files, every department's records
 * as feed files (CSV in UTF-8/GBK, XLSX) and as JSON pages, and the findings the engine must
 * produce. Deterministic for (households, seed, asOf); streamed, so 1,000,000 households need no
 * more memory than 1,000. The planted cases are in scenarios/, one file per rule code.
 */

export interface GenerateOptions {
  households: number;
  seed: number;
  outDir: string;
  /** Evaluation date the planted cases are built around (default 2026-11-01). */
  asOf?: string;
  /** Records per JSON page (default 500). */
  pageSize?: number;
  /** Also write JSON pages (default true). */
  json?: boolean;
}

export interface GenerateSummary {
  outDir: string;
  seed: number;
  asOf: string;
  households: number;
  persons: number;
  records: Record<string, number>;
  malformed: Record<string, number>;
  expectedHouseholdsWithFindings: number;
  byRule: Record<string, number>;
}

export const DEFAULT_AS_OF = '2026-11-01';

export async function generateCity(opts: GenerateOptions): Promise<GenerateSummary> {
  const gen = new CityGenerator(opts);
  return gen.run();
}

class CityGenerator {
  private readonly asOf: string;
  private readonly byRule: Record<string, number> = {};
  private householdsWritten = 0;
  private withFindings = 0;
  private readonly projectsWritten = new Set<number>();

  private ledger!: LedgerWriter;
  private feeds!: FeedFiles;
  private city!: CityRecords;
  private expected!: JsonLinesWriter;
  private scenarios!: JsonLinesWriter;

  constructor(private readonly opts: GenerateOptions) {
    this.asOf = opts.asOf ?? DEFAULT_AS_OF;
  }

  async run(): Promise<GenerateSummary> {
    const out = this.opts.outDir;
    mkdirSync(out, { recursive: true });
    this.ledger = new LedgerWriter(out);
    this.feeds = new FeedFiles({ outDir: out, seed: this.opts.seed, asOf: this.asOf, json: this.opts.json !== false, pageSize: this.opts.pageSize ?? 500 });
    this.city = new CityRecords(this.asOf, this.feeds.written);
    this.expected = new JsonLinesWriter(join(out, 'expected', 'findings.jsonl'));
    this.scenarios = new JsonLinesWriter(join(out, 'expected', 'scenarios.jsonl'));

    const n = this.opts.households;
    for (let i = 0; i < n; i++) {
      const rng = Rng.for(this.opts.seed, i);
      // The first households cover every scenario; the rest are mostly clean.
      const scenario = i < SCENARIOS.length ? SCENARIOS[i] : rng.chance(0.2) ? rng.pick(SCENARIOS) : CLEAN;
      const drafts = this.household(i, rng, scenario);
      for (const d of drafts) await this.write(d);
      if (i % 13 === 0) for (const r of malformedRecords(this.city, rng, i / 13)) await this.feeds.write(r, rng, 'malformed');
    }

    await Promise.all([this.ledger.close(), this.feeds.close()]);
    await this.expected.close();
    await this.scenarios.close();
    const summary: GenerateSummary = {
      outDir: out,
      seed: this.opts.seed,
      asOf: this.asOf,
      households: this.householdsWritten,
      persons: this.city.persons,
      records: this.feeds.written,
      malformed: this.feeds.malformed,
      expectedHouseholdsWithFindings: this.withFindings,
      byRule: this.byRule,
    };
    writeFileSync(join(out, 'manifest.json'), JSON.stringify(summary, null, 2));
    return summary;
  }

  /** Household i: a clean household of the scenario's shape, the scenario planted into it (and its twin, if any). */
  private household(i: number, rng: Rng, sc: Scenario): HouseholdDraft[] {
    const d = cleanHousehold(this.city, i, rng, sc);
    const out = [d];
    const tenant = d.members[0];
    const lastYear = addDays(this.asOf, -rng.int(20, 300));
    sc.plant({
      d,
      rng,
      index: i,
      asOf: this.asOf,
      months12: this.city.months12,
      tenant,
      spouse: d.members.find((m) => m.relation === 'spouse'),
      start: d.leaseStart ?? d.queuedOn!,
      lastYear,
      records: this.city.of(d),
      n: () => evaluationCount(d),
      personAged: (minAge, maxAge) => this.city.personAged(rng, minAge, maxAge),
      stranger: () => this.city.personAged(rng, 25, 50),
      twin: (status) => {
        const twin = cleanHousehold(this.city, i, Rng.for(this.opts.seed, i, 7), CLEAN, 'D', status);
        twin.scenario = `${sc.name}_twin`;
        out.push(twin);
        return twin;
      },
    });
    if (sc.declares && !d.declarations.length) d.declarations.push({ idNo: tenant.idNo, matter: sc.declares, on: addDays(this.asOf, -40), note: '主动申报' });
    return out;
  }

  private async write(d: HouseholdDraft): Promise<void> {
    const rng = Rng.for(this.opts.seed, this.householdsWritten, 13);
    if (d.utilities !== 'none' && d.unit) writeMeters(this.city, d, rng);
    const projectIndex = projectOf(Number(d.code.slice(2, 9)));
    const project = projectRow(projectIndex);
    if (!this.projectsWritten.has(projectIndex)) {
      this.projectsWritten.add(projectIndex);
      await this.ledger.write('projects', { ...project, management: labelOf(MANAGEMENT, project.management) });
    }
    const householdCode = d.code;
    const u = d.unit;
    if (u) {
      await this.ledger.write('units', {
        unitCode: u.code, projectCode: project.projectCode, building: `${u.building}幢`, roomNo: u.room, addressCode: u.addressCode, addressText: u.addressText,
        floorArea: rng.money(40, 60), rooms: rng.int(1, 2), monthlyRent: rng.money(300, 600),
      });
    }
    await this.ledger.write('households', {
      householdCode, status: labelOf(HOUSEHOLD_STATUS, d.status), category: labelOf(HOUSEHOLD_CATEGORY, d.category), unitCode: u?.code ?? '',
      leaseStart: fmtDate(d.leaseStart, rng), leaseEnd: fmtDate(d.leaseEnd, rng), queuedOn: fmtDate(d.queuedOn, rng),
    });
    for (const m of d.members) await this.ledger.write('members', { householdCode, idNo: fmtId(m.idNo, rng), name: m.name, relation: labelOf(RELATION, m.relation) });
    for (const x of d.declarations) {
      await this.ledger.write('declarations', { householdCode, idNo: x.idNo, matter: labelOf(DECLARATION_MATTER, x.matter), declaredOn: x.on, note: x.note });
    }
    for (const a of d.arrears) await this.ledger.write('arrears', { householdCode, monthsInArrears: a.months, amount: fmtAmount(a.amount, rng), asOf: fmtDate(a.asOf, rng) });
    if (d.handover && u) await this.ledger.write('handovers', { householdCode, unitCode: u.code, handedOverOn: d.handover });

    for (const r of d.records) await this.feeds.write(r, rng);
    this.householdsWritten++;
    const rules = [...new Set(d.expect)].sort();
    await this.scenarios.write({ householdCode, scenario: d.scenario, status: d.status, rules, subletScore: d.sublet.score, subletLevel: d.sublet.level });
    if (rules.length) {
      this.withFindings++;
      for (const r of rules) this.byRule[r] = (this.byRule[r] ?? 0) + 1;
      await this.expected.write({ householdCode, rules, subletScore: d.sublet.score, subletLevel: d.sublet.level });
    }
  }
}
