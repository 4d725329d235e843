import { Injectable } from '@nestjs/common';
import { Writable } from 'node:stream';
import { z } from 'zod';
import { csvCell } from './csv-cell';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../auth/actor';
import { DomainError, notFound } from '../common/errors';
import { DatabaseService } from '../database/database.service';
import { RULE_NAMES, RuleCode } from '../eligibility/rules/rule';

const ruleCode = z.enum(Object.keys(RULE_NAMES) as [string, ...string[]]);
export const drawBody = z
  .object({
    seed: z.string().trim().min(1).max(60),
    rate: z.number().gt(0).max(1).optional(),
    count: z.number().int().positive().optional(),
  })
  .strict()
  .refine((b) => (b.rate === undefined) !== (b.count === undefined), { message: '须给出 rate 或 count 之一', path: ['rate'] });
export const checkBody = z.object({ rules: z.array(ruleCode), note: z.string().trim().max(500).optional() }).strict();

/** A sampled household with the service's rules and the check's result. */
interface SampleItemRow {
  household_code: string;
  project_code: string | null;
  service_rules: string[] | null;
  check_rules: string[] | null;
  checked: boolean;
  note: string | null;
  checked_by: string | null;
  checked_at: Date | null;
}

/**
 * 抽查核实: a seeded sample stratified by project (the same seed draws the same households), each
 * check's result, and the discrepancies between the service's verdicts and the checks.
 */
@Injectable()
export class SamplingService {
  constructor(
    private readonly db: DatabaseService,
    private readonly audit: AuditService,
  ) {}

  async draw(body: z.infer<typeof drawBody>, actor: Actor) {
    return this.db.tx(async (c) => {
      const total = (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM household WHERE status = 'active'`)).rows[0].n;
      if (!total) throw new DomainError('UNPROCESSABLE', '没有在保家庭可供抽查');
      const rate = body.rate ?? Math.min(1, body.count! / total);
      const run = (await c.query<{ id: string | null }>(`SELECT max(id) AS id FROM recompute_run WHERE status = 'completed'`)).rows[0].id;
      const sample = (await c.query<{ id: number }>(`INSERT INTO sample (seed, rate, run_id, created_by) VALUES ($1, $2, $3, $4) RETURNING id`, [body.seed, rate, run, actor.name])).rows[0];
      // Per project: at least one household, otherwise ceil(rate × size), in the seed's order.
      await c.query(
        `WITH ranked AS (
           SELECT h.id, u.project_id, row_number() OVER (PARTITION BY u.project_id ORDER BY md5($2 || ':' || h.household_code)) AS rn,
                  count(*) OVER (PARTITION BY u.project_id) AS n
             FROM household h JOIN unit u ON u.id = h.unit_id WHERE h.status = 'active')
         INSERT INTO sample_item (sample_id, household_id, project_id, service_rules)
         SELECT $1, r.id, r.project_id, coalesce((SELECT hr.rules FROM household_result hr WHERE hr.run_id = $4 AND hr.household_id = r.id), '{}')
           FROM ranked r WHERE r.rn <= greatest(1, ceil(r.n * $3::numeric))`,
        [sample.id, body.seed, rate, run],
      );
      const size = (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM sample_item WHERE sample_id = $1`, [sample.id])).rows[0].n;
      await this.audit.recordIn(c, actor, 'sample.draw', 'sample', String(sample.id), { seed: body.seed, rate, size });
      return { id: sample.id, seed: body.seed, rate, runId: run ? String(run) : null, size };
    });
  }

  async items(id: number) {
    const { rows } = await this.db.pool.query<SampleItemRow>(
      `SELECT h.household_code, p.project_code, s.service_rules, s.check_rules, s.checked, s.note, s.checked_by, s.checked_at
         FROM sample_item s JOIN household h ON h.id = s.household_id LEFT JOIN project p ON p.id = s.project_id
        WHERE s.sample_id = $1 ORDER BY p.project_code, h.household_code`,
      [id],
    );
    if (!rows.length) throw notFound('抽查批次', id);
    return rows.map((r) => ({ householdCode: r.household_code, projectCode: r.project_code, serviceRules: r.service_rules ?? [], checkRules: r.check_rules, checked: r.checked, note: r.note, checkedBy: r.checked_by, checkedAt: r.checked_at }));
  }

  async recordCheck(id: number, householdCode: string, body: z.infer<typeof checkBody>, actor: Actor) {
    await this.db.tx(async (c) => {
      const { rowCount } = await c.query(
        `UPDATE sample_item s SET check_rules = $3, note = $4, checked = true, checked_by = $5, checked_at = now()
           FROM household h WHERE s.sample_id = $1 AND s.household_id = h.id AND h.household_code = $2`,
        [id, householdCode, body.rules, body.note ?? null, actor.name],
      );
      if (!rowCount) throw new DomainError('NOT_FOUND', `家庭 ${householdCode} 不在抽查批次 ${id} 中`);
      await this.audit.recordIn(c, actor, 'sample.check', 'sample', String(id), { householdCode, rules: body.rules });
    });
    return { sampleId: id, householdCode, checkRules: body.rules };
  }

  /** Checked households where the check and the service disagree: 漏报 (missed) or 误报 (false alarm). */
  async discrepancies(id: number) {
    const items = await this.items(id);
    return items
      .filter((i) => i.checked)
      .flatMap((i) => {
        const service = new Set<string>(i.serviceRules);
        const check = new Set<string>(i.checkRules ?? []);
        return [
          ...[...check].filter((r) => !service.has(r)).map((r) => ({ householdCode: i.householdCode, projectCode: i.projectCode, rule: r, name: RULE_NAMES[r as RuleCode], kind: '漏报' })),
          ...[...service].filter((r) => !check.has(r)).map((r) => ({ householdCode: i.householdCode, projectCode: i.projectCode, rule: r, name: RULE_NAMES[r as RuleCode], kind: '误报' })),
        ];
      });
  }

  async discrepanciesCsv(id: number, out: Writable) {
    out.write('\uFEFF家庭编号,项目编号,问题,差异类型\r\n');
    for (const d of await this.discrepancies(id)) out.write([d.householdCode, d.projectCode ?? '', d.name, d.kind].map(csvCell).join(',') + '\r\n');
    out.end();
  }
}
