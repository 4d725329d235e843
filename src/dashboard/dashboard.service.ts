import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import { today } from '../common/clock';
import { FindingsService } from '../eligibility/findings.service';
import { RULE_NAMES, RuleCode } from '../eligibility/rules/rule';
import { DashboardRepository } from './dashboard.repository';

/** Weeks of 应退未退 shown toward 清零. */
const WEEKS = 12;

/** The 工作台: findings, the case funnel, 应退未退 by week and the latest run, in the actor's scope. */
@Injectable()
export class DashboardService {
  constructor(
    private readonly repo: DashboardRepository,
    private readonly findings: FindingsService,
  ) {}

  async get(actor: Actor, on: string = today()) {
    const run = await this.findings.latestRun();
    const [groups, funnel, weeks, changes] = await Promise.all([
      run ? this.repo.findingGroups(run.id, actor.scope) : Promise.resolve([]),
      this.repo.funnel(on, actor.scope),
      this.repo.overdueByWeek(on, WEEKS, actor.scope),
      run ? this.findings.changeCounts(run.id, actor) : Promise.resolve(null),
    ]);
    const by = (kind: string) => groups.filter((g) => g.by === kind);
    return {
      asOf: on,
      run: run ? { id: run.id, asOf: run.asOf, policyVersion: run.policyVersion, finishedAt: run.finishedAt } : null,
      findings: {
        byRule: by('rule').map((g) => ({ rule: g.rule_code!, name: RULE_NAMES[g.rule_code as RuleCode] ?? g.rule_code!, level: g.level, findings: g.findings, households: g.households })),
        byTown: by('town').map((g) => ({ town: g.town!, findings: g.findings, households: g.households })),
        byProject: by('project').map((g) => ({ projectCode: g.project_code, projectName: g.project_name, town: g.town!, findings: g.findings, households: g.households })),
      },
      funnel: {
        found: funnel.found,
        confirmed: funnel.confirmed,
        noticed: funnel.noticed,
        overdue: funnel.overdue_ever,
        overdueNow: funnel.overdue_now,
        exited: funnel.exited,
        dismissed: funnel.dismissed,
      },
      inspectionsPastDue: funnel.inspections_past_due,
      overdueByWeek: weeks.map((w) => ({ weekEnd: w.week_end, overdue: w.overdue })),
      changes,
    };
  }
}
