import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../auth/actor';
import { Disclosure } from '../auth/disclosure';
import { DomainError } from '../common/errors';
import { DatabaseService } from '../database/database.service';
import { SqlFilter } from '../common/sql-filter';
import { HOUSEHOLD_STATUS, codeOf, labelOf, RELATION } from '../registry/vocabulary';

export interface RunRef {
  id: string;
  asOf: string;
  policyVersion: string;
  mode: string;
  finishedAt: Date | null;
}

/** Reading results: runs, a household's verdict with evidence, filtered findings, counts. */
@Injectable()
export class FindingsService {
  constructor(
    private readonly db: DatabaseService,
    private readonly audit: AuditService,
  ) {}

  /** The latest completed run for an as-of date (without one: the latest completed run). */
  async latestRun(asOf?: string): Promise<RunRef | null> {
    const { rows } = await this.db.pool.query(
      `SELECT r.id, r.as_of::text AS as_of, p.version, r.mode, r.finished_at FROM recompute_run r JOIN policy_version p ON p.id = r.policy_version_id
        WHERE r.status = 'completed' ${asOf ? 'AND r.as_of = $1' : ''} ORDER BY r.id DESC LIMIT 1`,
      asOf ? [asOf] : [],
    );
    return rows[0] ? { id: String(rows[0].id), asOf: rows[0].as_of, policyVersion: rows[0].version, mode: rows[0].mode, finishedAt: rows[0].finished_at } : null;
  }

  private async run(asOf?: string, runId?: string): Promise<RunRef> {
    if (runId) {
      const { rows } = await this.db.pool.query(
        `SELECT r.id, r.as_of::text AS as_of, p.version, r.mode, r.finished_at, r.status FROM recompute_run r JOIN policy_version p ON p.id = r.policy_version_id WHERE r.id = $1`,
        [runId],
      );
      if (!rows[0]) throw new DomainError('NOT_FOUND', `复核批次不存在: ${runId}`);
      return { id: String(rows[0].id), asOf: rows[0].as_of, policyVersion: rows[0].version, mode: rows[0].mode, finishedAt: rows[0].finished_at };
    }
    const r = await this.latestRun(asOf);
    if (!r) throw new DomainError('NOT_FOUND', asOf ? `${asOf} 无已完成的复核批次` : '尚无已完成的复核批次');
    return r;
  }

  /** One element per household with any finding (the CLI's `findings`). */
  async householdsWithFindings(asOf?: string) {
    const run = await this.run(asOf);
    const { rows } = await this.db.pool.query(
      `SELECT h.household_code, r.rules, r.sublet_score, r.sublet_level FROM household_result r JOIN household h ON h.id = r.household_id
        WHERE r.run_id = $1 AND cardinality(r.rules) > 0 ORDER BY h.household_code`,
      [run.id],
    );
    return {
      run,
      items: rows.map((r) => ({ householdCode: r.household_code, rules: [...r.rules].sort(), subletScore: r.sublet_score, subletLevel: r.sublet_level })),
    };
  }

  async verdict(code: string, q: { asOf?: string; runId?: string }, actor: Actor, disclosure: Disclosure) {
    const run = await this.run(q.asOf, q.runId);
    const h = (
      await this.db.pool.query(
        `SELECT h.id, h.household_code, h.status, h.category, u.unit_code, u.address_text, p.project_code, p.name AS project_name, p.town
           FROM household h LEFT JOIN unit u ON u.id = h.unit_id LEFT JOIN project p ON p.id = u.project_id WHERE h.household_code = $1`,
        [code],
      )
    ).rows[0];
    if (!h) throw new DomainError('NOT_FOUND', `家庭不存在: ${code}`);
    const [result, findings, members] = await Promise.all([
      this.db.pool.query(`SELECT rules, sublet_score, sublet_level, tasks, members FROM household_result WHERE run_id = $1 AND household_id = $2`, [run.id, h.id]),
      this.db.pool.query(`SELECT rule_code, level, score, evidence FROM finding WHERE run_id = $1 AND household_id = $2 ORDER BY rule_code`, [run.id, h.id]),
      this.db.pool.query(
        `SELECT p.id, p.id_no, coalesce(m.name, p.name) AS name, m.relation FROM member m JOIN person p ON p.id = m.person_id WHERE m.household_id = $1 ORDER BY p.id`,
        [h.id],
      ),
    ]);
    const r = result.rows[0];
    // Persons named in the evidence (members, and unregistered spouses) with masked ID numbers.
    const personIds = new Set<number>(members.rows.map((m) => m.id));
    for (const m of (r?.members?.evaluation ?? []) as { personId: number }[]) personIds.add(m.personId);
    const persons = (await this.db.pool.query(`SELECT id, id_no, name FROM person WHERE id = ANY($1)`, [[...personIds]])).rows;
    await this.audit.record(
      actor,
      disclosure.reveal ? 'verdict.read.reveal' : 'verdict.read',
      'household',
      String(h.id),
      { householdCode: code, runId: run.id, persons: [...personIds] },
      disclosure.purpose,
    );
    return {
      householdCode: h.household_code,
      status: h.status,
      statusLabel: labelOf(HOUSEHOLD_STATUS, h.status),
      project: h.project_code ? { code: h.project_code, name: h.project_name, town: h.town } : null,
      unit: h.unit_code ? { code: h.unit_code, address: h.address_text } : null,
      run,
      verdict: findings.rows.length ? 'findings' : 'clean',
      rules: findings.rows.map((f) => f.rule_code),
      subletScore: r?.sublet_score ?? (h.status === 'active' ? 0 : null),
      subletLevel: r?.sublet_level ?? (h.status === 'active' ? 'low' : null),
      tasks: r?.tasks ?? [],
      persons: persons.map((p) => ({
        personId: p.id,
        idNo: disclosure.idNo(p.id_no),
        name: p.name,
        relation: members.rows.find((m) => m.id === p.id)?.relation ?? 'unregistered_spouse',
        relationLabel: labelOf({ ...RELATION, 未登记配偶: 'unregistered_spouse' }, members.rows.find((m) => m.id === p.id)?.relation ?? 'unregistered_spouse'),
      })),
      evaluation: r?.members ?? null,
      findings: findings.rows.map((f) => f.evidence),
    };
  }

  async list(q: { asOf?: string; runId?: string; rule?: string; level?: string; project?: string; town?: string; status?: string; page: number; pageSize: number }) {
    const run = await this.run(q.asOf, q.runId);
    const f = new SqlFilter([run.id]);
    if (q.rule) f.add('f.rule_code = ?', q.rule);
    if (q.level) f.add('f.level = ?', q.level);
    if (q.project) f.add('p.project_code = ?', q.project);
    if (q.town) f.add('p.town = ?', q.town);
    if (q.status) f.add('h.status = ?', codeOf(HOUSEHOLD_STATUS, q.status) ?? q.status);
    const params = f.params;
    const from = `FROM finding f JOIN household h ON h.id = f.household_id LEFT JOIN unit u ON u.id = h.unit_id LEFT JOIN project p ON p.id = u.project_id WHERE f.run_id = $1${f.and}`;
    const total = (await this.db.pool.query(`SELECT count(*)::int AS n ${from}`, params)).rows[0].n;
    const rows = (
      await this.db.pool.query(
        `SELECT h.household_code, h.status, p.project_code, p.town, f.rule_code, f.level, f.score, f.evidence->>'name' AS name, f.evidence->>'explanation' AS explanation
         ${from} ORDER BY h.household_code, f.rule_code LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`,
        params,
      )
    ).rows;
    return {
      run,
      total,
      page: q.page,
      pageSize: q.pageSize,
      items: rows.map((r) => ({ householdCode: r.household_code, status: r.status, projectCode: r.project_code, town: r.town, rule: r.rule_code, name: r.name, level: r.level, score: r.score, explanation: r.explanation })),
    };
  }

  async counts(q: { asOf?: string; runId?: string }) {
    const run = await this.run(q.asOf, q.runId);
    const { rows } = await this.db.pool.query(
      `SELECT f.rule_code, coalesce(p.town, '（轮候）') AS town, count(*)::int AS n FROM finding f JOIN household h ON h.id = f.household_id
         LEFT JOIN unit u ON u.id = h.unit_id LEFT JOIN project p ON p.id = u.project_id WHERE f.run_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
      [run.id],
    );
    const byRule: Record<string, number> = {};
    const byTown: Record<string, Record<string, number>> = {};
    for (const r of rows) {
      byRule[r.rule_code] = (byRule[r.rule_code] ?? 0) + r.n;
      (byTown[r.town] ??= {})[r.rule_code] = r.n;
    }
    return { run, byRule, byTown };
  }

  async runs(limit = 50) {
    const { rows } = await this.db.pool.query(
      `SELECT r.id, r.as_of::text AS as_of, p.version AS policy_version, r.mode, r.status, r.trigger, r.base_run_id, r.shards, r.households, r.evaluated,
              r.with_findings, r.counts, r.started_at, r.finished_at FROM recompute_run r JOIN policy_version p ON p.id = r.policy_version_id ORDER BY r.id DESC LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ ...r, id: String(r.id), base_run_id: r.base_run_id ? String(r.base_run_id) : null }));
  }

  /** What changed in a run against the previous completed run of the same as-of date. */
  async changes(runId: string) {
    const run = (await this.db.pool.query(`SELECT id, as_of, counts FROM recompute_run WHERE id = $1`, [runId])).rows[0];
    if (!run) throw new DomainError('NOT_FOUND', `复核批次不存在: ${runId}`);
    const prev = run.counts?.previousRunId;
    if (!prev) return { runId, previousRunId: null, items: [] };
    const { rows } = await this.db.pool.query(
      `SELECT h.household_code, coalesce(n.rule_code, o.rule_code) AS rule_code,
              CASE WHEN o.household_id IS NULL THEN 'new' WHEN n.household_id IS NULL THEN 'resolved' ELSE 'changed' END AS change
         FROM (SELECT * FROM finding WHERE run_id = $1) n
         FULL JOIN (SELECT * FROM finding WHERE run_id = $2) o USING (household_id, rule_code)
         JOIN household h ON h.id = coalesce(n.household_id, o.household_id)
        WHERE o.household_id IS NULL OR n.household_id IS NULL OR n.fingerprint <> o.fingerprint
        ORDER BY 1, 2`,
      [runId, prev],
    );
    return { runId, previousRunId: prev, items: rows.map((r) => ({ householdCode: r.household_code, rule: r.rule_code, change: r.change })) };
  }
}
