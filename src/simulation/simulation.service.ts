import { Injectable, Logger } from '@nestjs/common';
import { z } from 'zod';
import { JobName } from '../../jobs/catalogue';
import { QueueService } from '../../jobs/queue.service';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/actor';
import { today } from '../common/clock';
import { DomainError, NeverRetry, notFound } from '../common/errors';
import { AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { RULE_NAMES, RuleCode } from '../eligibility/rules/rule';
import { readSnapshots } from '../eligibility/snapshot-reader';
import { DraftsService } from '../policy/drafts.service';
import { PolicyService } from '../policy/policy.service';
import { policyDocumentSchema } from '../policy/policy.schema';
import { ANY_RULE, compareVerdicts, FailingCounts, failingRules, HouseholdChange, IN_FORCE_POINT, sweepValues, withParameter } from './simulate';
import { changesExportQuery, changesQuery, simulationBody } from './simulation.schemas';
import { changeLabel, decisionText } from './simulation-text';
import { ExportsService, ExportTarget } from '../exports/exports.service';
import type { FormColumn } from '../exports/printed-form';

const names = (codes: string[]) => codes.map((c) => RULE_NAMES[c as RuleCode] ?? c).join('、');

/** The columns of 政策模拟测算逐户变化表. */
const CHANGE_COLUMNS: FormColumn[] = [
  { header: '序号', kind: 'index' },
  { header: '家庭编号', kind: 'code' },
  { header: '所属镇街', kind: 'name' },
  { header: '项目编号', kind: 'code' },
  { header: '变化', kind: 'label' },
  { header: '现行政策下的问题', kind: 'text' },
  { header: '草案下的问题', kind: 'text' },
  { header: '决定结果的数值与标准', kind: 'address' },
];
import { CountRow, SimulationRepository, SimulationRow } from './simulation.repository';

/**
 * What-if simulations: the engine over today's data with a draft policy, sharded like a recompute
 * (any worker takes a shard; a shard re-run replaces its rows). Each shard reads its households'
 * snapshots once and evaluates them under the policy in force and the draft (or under every value
 * of a sweep): the read is the cost, the rules are pure. Nothing here opens, changes or closes a
 * case, and nothing is written to recompute_run or finding.
 */
@Injectable()
export class SimulationService {
  private readonly log = new Logger('simulation');

  constructor(
    private readonly db: DatabaseService,
    private readonly repo: SimulationRepository,
    private readonly drafts: DraftsService,
    private readonly policies: PolicyService,
    private readonly queues: QueueService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly exportsService: ExportsService,
  ) {}

  /** Plans a simulation (its shards) and enqueues them with their finish as a flow. */
  async start(body: z.infer<typeof simulationBody>, actor: Actor) {
    const draft = await this.drafts.row(body.draft);
    const asOf = body.asOf ?? today();
    const inForce = await this.policies.inForce(asOf);
    const sweep = body.sweep ? { parameter: body.sweep.parameter, values: sweepValues(body.sweep.from, body.sweep.to, body.sweep.step) } : null;
    // Every point of a sweep is a policy the schema accepts (an income line of -1, 0 months of
    // income): refused here with the value, not left to fail in a shard.
    for (const value of sweep?.values ?? []) {
      const r = policyDocumentSchema.safeParse(withParameter(draft.document, sweep!.parameter, value));
      if (!r.success) {
        throw new DomainError('VALIDATION', '请求参数无效', [{ field: 'sweep', reason: `${sweep!.parameter} = ${value} 不是有效的政策参数：${r.error.issues[0]?.message ?? ''}` }]);
      }
    }
    const planned = await this.db.tx(async (c) => {
      const id = await this.repo.create(c, { draftId: draft.id, policyVersionId: inForce.id, asOf, kind: sweep ? 'sweep' : 'compare', sweep, createdBy: actor.name });
      const size = await this.repo.createShards(c, id, this.config.recomputeShardSize);
      await this.audit.recordIn(c, actor, 'simulation.request', 'simulation_run', id, { draft: draft.id, asOf, sweep, policyInForce: inForce.version });
      return { id, ...size };
    });
    if (planned.shards) {
      await this.queues.flow(
        { name: JobName.SimulationFinish, input: { simulationId: planned.id } },
        Array.from({ length: planned.shards }, (_, shard) => ({ name: JobName.SimulationShard, input: { simulationId: planned.id, shard } })),
      );
    } else {
      await this.db.tx((c) => this.repo.complete(c, planned.id));
    }
    this.log.log(`simulation ${planned.id}: draft ${draft.id} as of ${asOf}, ${planned.households} households in ${planned.shards} shards${sweep ? `, ${sweep.values.length} points` : ''}`);
    return { id: planned.id, shards: planned.shards, households: planned.households };
  }

  /** Evaluates one shard: its snapshots read once, every policy of the run evaluated on them. */
  async shard(id: string, shardNo: number): Promise<{ evaluated: number; changed: number }> {
    const run = await this.repo.get(id);
    if (!run) throw notFound('模拟测算', id);
    const range = await this.repo.shard(id, shardNo);
    if (!range) throw notFound('模拟测算分片', `${id}/${shardNo}`);
    const [inForce, draft] = await Promise.all([this.policies.byId(run.policy_version_id), this.drafts.row(run.draft_id)]);
    const [snapshots, places] = await Promise.all([readSnapshots(this.db.reader, { fromId: range.from_id, toId: range.to_id, scopeRunId: null }), this.repo.places(range.from_id, range.to_id)]);
    const counts = new FailingCounts();
    const changes: { householdId: number; change: HouseholdChange }[] = [];
    const points = run.sweep ? run.sweep.values.map((v) => withParameter(draft.document, run.sweep!.parameter, v)) : null;
    try {
      for (const s of snapshots) {
        const place = places.get(s.householdId) ?? { town: '', projectCode: '', category: s.category };
        if (points) {
          points.forEach((doc, i) => counts.add(i, failingRules(s, run.as_of, doc).map((f) => f.code), place));
          continue;
        }
        const a = failingRules(s, run.as_of, inForce.document);
        const b = failingRules(s, run.as_of, draft.document);
        counts.add(IN_FORCE_POINT, a.map((f) => f.code), place);
        counts.add(0, b.map((f) => f.code), place);
        const change = compareVerdicts(s.category, a, b, inForce.document, draft.document);
        if (change) changes.push({ householdId: s.householdId, change });
      }
    } catch (err) {
      // The rules are pure: an evaluation that throws throws again. The run is failed (its readers
      // and the CLI stop waiting) and the job is not retried.
      await this.repo.fail(id, `分片 ${shardNo} 测算失败：${err instanceof Error ? err.message : String(err)}`);
      throw new NeverRetry(`simulation ${id} shard ${shardNo}: ${err instanceof Error ? err.message : String(err)}`);
    }
    await this.db.tx((c) => this.repo.writeShard(c, id, shardNo, snapshots.length, counts, changes));
    return { evaluated: snapshots.length, changed: changes.length };
  }

  /** Closes the run once its shards are done (the flow's parent runs after every child). */
  async finish(id: string): Promise<{ simulationId: string; completed: boolean }> {
    const completed = await this.db.tx((c) => this.repo.complete(c, id));
    if (!completed) throw new Error(`simulation ${id}: shards not finished`);
    return { simulationId: id, completed };
  }

  async list(page: { page: number; pageSize: number }) {
    const { total, rows } = await this.repo.list(page);
    return { total, page: page.page, pageSize: page.pageSize, items: rows.map(head) };
  }

  /** The comparison (or the sweep's curve) in the actor's scope. */
  async get(id: string, actor: Actor) {
    const run = await this.repo.get(id);
    if (!run) throw notFound('模拟测算', id);
    const counts = run.status === 'completed' ? await this.repo.counts(id, actor.scope) : [];
    if (run.kind === 'sweep') return { ...head(run), comparison: null, sweep: sweepCurve(run, counts) };
    return { ...head(run), comparison: comparison(counts), sweep: null };
  }

  /**
   * The changed households as a table (政策模拟测算逐户变化表), in the actor's scope, read a page at a
   * time; audited like the other exports (no personal data: household codes and values only).
   */
  async export(id: string, q: z.infer<typeof changesExportQuery>, actor: Actor, target: ExportTarget) {
    const run = await this.repo.get(id);
    if (!run) throw notFound('模拟测算', id);
    if (run.kind !== 'compare') throw new DomainError('VALIDATION', '请求参数无效', [{ field: 'id', reason: '参数扫描不逐户比较' }]);
    const repo = this.repo;
    async function* rows() {
      let index = 0;
      for (let after = ''; ; ) {
        const batch = await repo.changesAfter(id, { change: q.change, rule: q.rule }, after, 1000, actor.scope);
        for (const r of batch) {
          yield [++index, r.household_code, r.town, r.project_code, changeLabel(r.change), names(r.rules_in_force), names(r.rules_draft), r.decided.map((d) => `${d.name}：${decisionText(d)}`).join('\n')];
        }
        if (batch.length < 1000) return;
        after = batch[batch.length - 1].household_code;
      }
    }
    return this.exportsService.table(
      target,
      q.format,
      { title: `政策模拟测算逐户变化表（${run.draft_name}，测算日 ${run.as_of}）`, columns: CHANGE_COLUMNS },
      { actor, action: 'export.simulation', detail: { simulationId: id, change: q.change, rule: q.rule } },
      rows,
    );
  }

  async changes(id: string, q: z.infer<typeof changesQuery>, actor: Actor) {
    const run = await this.repo.get(id);
    if (!run) throw notFound('模拟测算', id);
    if (run.kind !== 'compare') throw new DomainError('VALIDATION', '请求参数无效', [{ field: 'id', reason: '参数扫描不逐户比较' }]);
    const { total, rows } = await this.repo.changes(id, q, actor.scope);
    return {
      total,
      page: q.page,
      pageSize: q.pageSize,
      items: rows.map((r) => ({
        householdCode: r.household_code,
        town: r.town,
        projectCode: r.project_code,
        change: r.change,
        rulesInForce: r.rules_in_force,
        rulesDraft: r.rules_draft,
        decided: r.decided.map((d) => ({ ...d, text: decisionText(d) })),
      })),
    };
  }
}

function head(r: SimulationRow) {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    asOf: r.as_of,
    draft: { id: r.draft_id, name: r.draft_name, version: r.draft_version },
    policyInForce: r.policy_version,
    sweep: r.sweep,
    shards: r.shards,
    households: r.households,
    evaluated: r.evaluated,
    createdBy: r.created_by,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    error: r.error,
  };
}

/** Sums rows by a key of the row, for the in-force point and the draft's. */
function inForceAndDraft(rows: CountRow[], key: (r: CountRow) => string) {
  const out = new Map<string, { inForce: number; draft: number }>();
  for (const r of rows) {
    const e = out.get(key(r)) ?? { inForce: 0, draft: 0 };
    if (r.point === IN_FORCE_POINT) e.inForce += r.households;
    else e.draft += r.households;
    out.set(key(r), e);
  }
  return [...out.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/** Households failing under each policy: per rule, and (any rule) per town, project and category. */
function comparison(rows: CountRow[]) {
  const any = rows.filter((r) => r.rule_code === ANY_RULE);
  const total = inForceAndDraft(any, () => 'all')[0]?.[1] ?? { inForce: 0, draft: 0 };
  return {
    failing: total,
    byRule: inForceAndDraft(
      rows.filter((r) => r.rule_code !== ANY_RULE),
      (r) => r.rule_code,
    ).map(([rule, v]) => ({ rule, name: RULE_NAMES[rule as RuleCode] ?? rule, ...v })),
    byTown: inForceAndDraft(any, (r) => r.town).map(([town, v]) => ({ town, ...v })),
    byProject: inForceAndDraft(any, (r) => r.project_code).map(([projectCode, v]) => ({ projectCode, ...v })),
    byCategory: inForceAndDraft(any, (r) => r.category).map(([category, v]) => ({ category, ...v })),
  };
}

/** A sweep's curve: at each value, the households failing any rule, per rule and per town. */
function sweepCurve(run: SimulationRow, rows: CountRow[]) {
  const values = run.sweep?.values ?? [];
  return {
    parameter: run.sweep?.parameter ?? '',
    points: values.map((value, i) => {
      const at = rows.filter((r) => r.point === i);
      const sum = (list: CountRow[], key: (r: CountRow) => string) => {
        const out: Record<string, number> = {};
        for (const r of list) out[key(r)] = (out[key(r)] ?? 0) + r.households;
        return out;
      };
      return {
        value,
        failing: at.filter((r) => r.rule_code === ANY_RULE).reduce((s, r) => s + r.households, 0),
        byRule: sum(
          at.filter((r) => r.rule_code !== ANY_RULE),
          (r) => r.rule_code,
        ),
        byTown: sum(
          at.filter((r) => r.rule_code === ANY_RULE),
          (r) => r.town,
        ),
      };
    }),
  };
}
