import type { Prisma } from '../generated/prisma/client';
import type { SqlFilter } from '../common/sql-filter';

/**
 * What an account may see: the whole city (both lists empty), or the households of some towns
 * (镇/街道) and some projects. A household belongs to its unit's project and that project's town; a
 * household without a unit (轮候) belongs to no town or project, so only city-wide accounts see it.
 */
export interface Scope {
  towns: string[];
  projects: string[];
}

export const CITY: Scope = { towns: [], projects: [] };

export const isCityWide = (scope: Scope | undefined): boolean => !scope || (!scope.towns.length && !scope.projects.length);

/**
 * Adds the scope's predicate on a project alias (`p`, joined through the household's unit) to a
 * filter: nothing for a city-wide account. The filter runs in the query's SQL, so pages and counts
 * are of the scope (never a page filtered after the fact).
 */
export function whereInScope(filter: SqlFilter, scope: Scope | undefined, project = 'p'): SqlFilter {
  if (isCityWide(scope)) return filter;
  return filter.add(`(${project}.town = ANY(?::text[]) OR ${project}.project_code = ANY(?::text[]))`, scope!.towns, scope!.projects);
}

/** The same predicate for Prisma: on a project relation. */
export function projectInScope(scope: Scope | undefined): Prisma.ProjectWhereInput {
  if (isCityWide(scope)) return {};
  return { OR: [{ town: { in: scope!.towns } }, { projectCode: { in: scope!.projects } }] };
}

/** The same predicate for Prisma: on a household (through its unit's project). */
export function householdInScope(scope: Scope | undefined): Prisma.HouseholdWhereInput {
  if (isCityWide(scope)) return {};
  return { unit: { project: projectInScope(scope) } };
}

/** How a scope reads in Chinese (全市, or the towns and projects). */
export function describeScope(scope: Scope | undefined): string {
  if (isCityWide(scope)) return '全市';
  const parts = [...scope!.towns, ...scope!.projects.map((p) => `项目 ${p}`)];
  return parts.join('、');
}
