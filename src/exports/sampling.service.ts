import { Injectable } from '@nestjs/common';
import { Writable } from 'node:stream';
import { z } from 'zod';
import { csvCell } from './csv-cell';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../auth/actor';
import { DomainError, notFound } from '../common/errors';
import { DatabaseService } from '../database/database.service';
import { RULE_NAMES, RuleCode } from '../eligibility/rules/rule';
import { SamplingRepository } from './sampling.repository';

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

/**
 * 抽查核实: a seeded sample stratified by project (the same seed draws the same households), each
 * check's result, and the discrepancies between the service's verdicts and the checks.
 */
@Injectable()
export class SamplingService {
  constructor(
    private readonly db: DatabaseService,
    private readonly repo: SamplingRepository,
    private readonly audit: AuditService,
  ) {}

  async draw(body: z.infer<typeof drawBody>, actor: Actor) {
    return this.db.tx(async (c) => {
      const total = await this.repo.activeHouseholds(c, actor.scope);
      if (!total) throw new DomainError('UNPROCESSABLE', '没有在保家庭可供抽查');
      const rate = body.rate ?? Math.min(1, body.count! / total);
      const run = await this.repo.lastCompletedRun(c);
      const { id, size } = await this.repo.draw(c, { seed: body.seed, rate, runId: run, createdBy: actor.name }, actor.scope);
      await this.audit.recordIn(c, actor, 'sample.draw', 'sample', String(id), { seed: body.seed, rate, size });
      return { id, seed: body.seed, rate, runId: run ? String(run) : null, size };
    });
  }

  /** The samples the actor sees (≥1 household in scope), newest first, with their part's counts. */
  async list(actor: Actor, q: { page: number; pageSize: number }) {
    const { total, rows } = await this.repo.list(actor.scope, q);
    const items = rows.map((r) => ({ id: r.id, seed: r.seed, rate: Number(r.rate), runId: r.run_id, createdAt: r.created_at, createdBy: r.created_by, size: r.size, checked: r.checked }));
    return { total, page: q.page, pageSize: q.pageSize, items };
  }

  async items(id: number, actor: Actor) {
    const rows = await this.repo.items(id, actor.scope);
    if (!rows.length) throw notFound('抽查批次', id);
    return rows.map((r) => ({ householdCode: r.household_code, projectCode: r.project_code, serviceRules: r.service_rules ?? [], checkRules: r.check_rules, checked: r.checked, note: r.note, checkedBy: r.checked_by, checkedAt: r.checked_at }));
  }

  async recordCheck(id: number, householdCode: string, body: z.infer<typeof checkBody>, actor: Actor) {
    await this.db.tx(async (c) => {
      const found = await this.repo.recordCheck(c, id, householdCode, { rules: body.rules, note: body.note ?? null, checkedBy: actor.name }, actor.scope);
      if (!found) throw new DomainError('NOT_FOUND', `家庭 ${householdCode} 不在抽查批次 ${id} 中`);
      await this.audit.recordIn(c, actor, 'sample.check', 'sample', String(id), { householdCode, rules: body.rules });
    });
    return { sampleId: id, householdCode, checkRules: body.rules };
  }

  /** Checked households where the check and the service disagree: 漏报 (missed) or 误报 (false alarm). */
  async discrepancies(id: number, actor: Actor) {
    const items = await this.items(id, actor);
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

  async discrepanciesCsv(id: number, actor: Actor, out: Writable) {
    out.write('\uFEFF家庭编号,项目编号,问题,差异类型\r\n');
    for (const d of await this.discrepancies(id, actor)) out.write([d.householdCode, d.projectCode ?? '', d.name, d.kind].map(csvCell).join(',') + '\r\n');
    out.end();
  }
}
