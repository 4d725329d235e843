import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../auth/actor';
import { Disclosure } from '../auth/disclosure';
import { isCityWide } from '../auth/scope';
import { DomainError, notFound } from '../common/errors';
import { progressOf } from '../common/progress';
import { HOUSEHOLD_STATUS, codeOf, labelOf, RELATION } from '../registry/vocabulary';
import { FindingsFilter, FindingsRepository, RunRef } from './findings.repository';

/** Reading results: runs, a household's verdict with evidence, filtered findings, counts. */
@Injectable()
export class FindingsService {
  constructor(
    private readonly findingsRepository: FindingsRepository,
    private readonly audit: AuditService,
  ) {}

  /** The latest completed run for an as-of date (without one: the latest completed run). */
  latestRun(asOf?: string): Promise<RunRef | null> {
    return this.findingsRepository.latestCompletedRun(asOf);
  }

  private async run(asOf?: string, runId?: string): Promise<RunRef> {
    if (runId) {
      const r = await this.findingsRepository.runRef(runId);
      if (!r) throw notFound('复核批次', runId);
      return r;
    }
    const r = await this.latestRun(asOf);
    if (!r) throw new DomainError('NOT_FOUND', asOf ? `${asOf} 无已完成的复核批次` : '尚无已完成的复核批次');
    return r;
  }

  /** One element per household with any finding (the CLI's `findings`). */
  async householdsWithFindings(asOf?: string) {
    const run = await this.run(asOf);
    const rows = await this.findingsRepository.householdsWithFindings(run.id);
    return {
      run,
      items: rows.map((r) => ({ householdCode: r.household_code, rules: [...r.rules].sort(), subletScore: r.sublet_score, subletLevel: r.sublet_level })),
    };
  }

  async verdict(code: string, q: { asOf?: string; runId?: string }, actor: Actor, disclosure: Disclosure) {
    const run = await this.run(q.asOf, q.runId);
    const h = await this.findingsRepository.household(code, actor.scope);
    if (!h) throw notFound('家庭', code);
    const { result: r, findings, members } = await this.findingsRepository.verdictParts(run.id, h.id);
    // Persons named in the evidence (members, and unregistered spouses) with masked ID numbers.
    const personIds = new Set<number>(members.map((m) => m.id));
    for (const m of (r?.members?.evaluation ?? []) as { personId: number }[]) personIds.add(m.personId);
    const persons = await this.findingsRepository.persons([...personIds]);
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
      verdict: findings.length ? 'findings' : 'clean',
      rules: findings.map((f) => f.rule_code),
      subletScore: r?.sublet_score ?? (h.status === 'active' ? 0 : null),
      subletLevel: r?.sublet_level ?? (h.status === 'active' ? 'low' : null),
      tasks: r?.tasks ?? [],
      persons: persons.map((p) => ({
        personId: p.id,
        idNo: disclosure.idNo(p.id_no),
        name: p.name,
        relation: members.find((m) => m.id === p.id)?.relation ?? 'unregistered_spouse',
        relationLabel: labelOf({ ...RELATION, 未登记配偶: 'unregistered_spouse' }, members.find((m) => m.id === p.id)?.relation ?? 'unregistered_spouse'),
      })),
      evaluation: r?.members ?? null,
      findings: findings.map((f) => f.evidence),
    };
  }

  async list(q: FindingsFilter & { asOf?: string; runId?: string; page: number; pageSize: number }, actor: Actor) {
    const run = await this.run(q.asOf, q.runId);
    const status = q.status ? (codeOf(HOUSEHOLD_STATUS, q.status) ?? q.status) : undefined;
    const { total, rows } = await this.findingsRepository.page(
      run.id,
      { rule: q.rule, level: q.level, project: q.project, town: q.town, status, declared: q.declared, sort: q.sort },
      q,
      actor.scope,
    );
    return {
      run,
      total,
      page: q.page,
      pageSize: q.pageSize,
      items: rows.map((r) => ({
        householdCode: r.household_code,
        status: r.status,
        projectCode: r.project_code,
        town: r.town,
        rule: r.rule_code,
        name: r.name,
        level: r.level,
        score: r.score,
        explanation: r.explanation,
        declared: r.declared,
      })),
    };
  }

  /** A household's findings across the latest completed runs (404 outside the actor's scope). */
  async history(code: string, actor: Actor) {
    const h = await this.findingsRepository.household(code, actor.scope);
    if (!h) throw notFound('家庭', code);
    const rows = await this.findingsRepository.history(h.id, 20);
    return rows.map((r) => ({ runId: r.id, asOf: r.as_of, policyVersion: r.version, finishedAt: r.finished_at, rules: r.rules }));
  }

  async counts(q: { asOf?: string; runId?: string }, actor: Actor) {
    const run = await this.run(q.asOf, q.runId);
    const rows = await this.findingsRepository.countsByRuleAndTown(run.id, actor.scope);
    const byRule: Record<string, number> = {};
    const byTown: Record<string, Record<string, number>> = {};
    for (const r of rows) {
      byRule[r.rule_code] = (byRule[r.rule_code] ?? 0) + r.n;
      (byTown[r.town] ??= {})[r.rule_code] = r.n;
    }
    return { run, byRule, byTown };
  }

  /** The latest runs; a run's city-wide figures only for a city-wide actor. */
  async runs(actor: Actor, limit = 50) {
    const rows = await this.findingsRepository.listRuns(limit);
    const city = isCityWide(actor.scope);
    return rows.map(({ shards_done, households_done, ...r }) => ({
      ...r,
      id: String(r.id),
      base_run_id: r.base_run_id ? String(r.base_run_id) : null,
      ...(city ? {} : { households: null, evaluated: null, with_findings: null, counts: null }),
      // A running run's progress: households for a city-wide actor, shards (no city-wide figure) for the others.
      progress:
        households_done === null || shards_done === null
          ? null
          : city
            ? progressOf(households_done, r.households, 'households', r.started_at)
            : progressOf(shards_done, r.shards, 'shards', r.started_at),
    }));
  }

  /** How many findings a run made new, resolved or changed against its previous run (counted in SQL, in the actor's scope). */
  async changeCounts(runId: string, actor: Actor) {
    const prev = (await this.findingsRepository.runCounts(runId))?.counts?.previousRunId;
    if (!prev) return null;
    return { previousRunId: prev, ...(await this.findingsRepository.changeCounts(runId, prev, actor.scope)) };
  }

  /** What changed in a run against the previous completed run of the same as-of date. */
  async changes(runId: string, actor: Actor) {
    const run = await this.findingsRepository.runCounts(runId);
    if (!run) throw notFound('复核批次', runId);
    const prev = run.counts?.previousRunId;
    if (!prev) return { runId, previousRunId: null, items: [] };
    const rows = await this.findingsRepository.changes(runId, prev, actor.scope);
    return { runId, previousRunId: prev, items: rows.map((r) => ({ householdCode: r.household_code, rule: r.rule_code, change: r.change })) };
  }
}
