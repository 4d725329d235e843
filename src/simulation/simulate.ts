import { evaluateHousehold } from '../eligibility/evaluate';
import type { Finding, RuleCode } from '../eligibility/rules/rule';
import type { HouseholdSnapshot } from '../eligibility/snapshot';
import { effectivePolicy, parametersSchema, PolicyDocument, PolicyParameters } from '../policy/policy.schema';

/** Where a household lies, for the counts. */
export interface HouseholdPlace {
  town: string;
  projectCode: string;
  category: string;
}

/** Any rule: the households failing at least one. */
export const ANY_RULE = '*';
/** The point of the policy in force in a comparison's counts (the draft is point 0). */
export const IN_FORCE_POINT = -1;

/** Households failing each rule at each point, by town, project and category (one shard's). */
export class FailingCounts {
  private readonly counts = new Map<string, number>();

  add(point: number, rules: readonly string[], place: HouseholdPlace): void {
    if (!rules.length) return;
    for (const rule of [...rules, ANY_RULE]) {
      const key = [point, rule, place.town, place.projectCode, place.category].join('\u0000');
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    }
  }

  /** Columns for one INSERT ... SELECT FROM unnest(...). */
  columns(): { point: number[]; rule: string[]; town: string[]; project: string[]; category: string[]; households: number[] } {
    const out = { point: [] as number[], rule: [] as string[], town: [] as string[], project: [] as string[], category: [] as string[], households: [] as number[] };
    for (const [key, n] of this.counts) {
      const [point, rule, town, project, category] = key.split('\u0000');
      out.point.push(Number(point));
      out.rule.push(rule);
      out.town.push(town);
      out.project.push(project);
      out.category.push(category);
      out.households.push(n);
    }
    return out;
  }
}

/** One rule whose verdict differs between the two policies, with what decided it. */
export interface Decision {
  rule: RuleCode;
  name: string;
  /** Which policy makes the rule fire. */
  firesUnder: 'draft' | 'inForce';
  values: Record<string, unknown>;
  /** The thresholds the finding compared against, under each policy. */
  thresholds: { inForce: Record<string, unknown>; draft: Record<string, unknown> };
  explanation: string;
}

export interface HouseholdChange {
  change: 'newly_failing' | 'newly_passing' | 'changed';
  rulesInForce: string[];
  rulesDraft: string[];
  decided: Decision[];
}

/** A parameter's value in a household's effective parameters, by its name in a finding's thresholds. */
function parameterNamed(p: PolicyParameters, key: string): unknown {
  const groups: Record<string, unknown>[] = [p, p.sublet, p.vacant, p.exit];
  for (const g of groups) if (Object.hasOwn(g, key)) return g[key];
  return undefined;
}

/** A finding's thresholds as another policy sets them (the same names, that policy's values). */
function thresholdsUnder(f: Finding, p: PolicyParameters): Record<string, unknown> {
  return Object.fromEntries(Object.entries(f.thresholds).map(([k, v]) => [k, typeof v === 'number' ? (parameterNamed(p, k) ?? v) : v]));
}

/**
 * Compares one household's verdicts under the policy in force and a draft: null when the rules
 * that fire are the same; else the change and, for each rule that differs, the finding that fired
 * (its values) with the thresholds of both policies.
 */
export function compareVerdicts(category: string, inForce: Finding[], draft: Finding[], inForceDoc: PolicyDocument, draftDoc: PolicyDocument): HouseholdChange | null {
  const a = new Set(inForce.map((f) => f.code));
  const b = new Set(draft.map((f) => f.code));
  if (a.size === b.size && [...a].every((r) => b.has(r))) return null;
  const pa = effectivePolicy(inForceDoc, category).p;
  const pb = effectivePolicy(draftDoc, category).p;
  const decided: Decision[] = [
    ...draft.filter((f) => !a.has(f.code)).map((f) => ({ f, firesUnder: 'draft' as const })),
    ...inForce.filter((f) => !b.has(f.code)).map((f) => ({ f, firesUnder: 'inForce' as const })),
  ].map(({ f, firesUnder }) => ({
    rule: f.code,
    name: f.name,
    firesUnder,
    values: f.values,
    thresholds: { inForce: thresholdsUnder(f, pa), draft: thresholdsUnder(f, pb) },
    explanation: f.explanation,
  }));
  const change = !a.size ? 'newly_failing' : !b.size ? 'newly_passing' : 'changed';
  return { change, rulesInForce: [...a].sort(), rulesDraft: [...b].sort(), decided };
}

/** The rules that fire for a household under a policy. */
export function failingRules(s: HouseholdSnapshot, asOf: string, doc: PolicyDocument): Finding[] {
  return evaluateHousehold(s, asOf, doc).findings;
}

/** The numeric parameters a sweep may vary: `incomePerCapita`, `sublet.highScore`, ... */
export function sweepableParameters(): string[] {
  const out: string[] = [];
  const shape = parametersSchema.shape as Record<string, unknown>;
  for (const [name, schema] of Object.entries(shape)) {
    const def = schema as { type?: string; shape?: Record<string, { type?: string }> };
    if (def.type === 'number') out.push(name);
    else if (def.type === 'object' && def.shape) for (const [sub, s] of Object.entries(def.shape)) if (s.type === 'number') out.push(`${name}.${sub}`);
  }
  return out;
}

/** The document with one parameter (a sweep's `name` or `group.name`) set to a value. */
export function withParameter(doc: PolicyDocument, path: string, value: number): PolicyDocument {
  const [group, name] = path.split('.');
  const p = doc.parameters as unknown as Record<string, unknown>;
  const parameters = name ? { ...p, [group]: { ...(p[group] as Record<string, unknown>), [name]: value } } : { ...p, [group]: value };
  return { ...doc, parameters: parameters as unknown as PolicyParameters };
}

/** A sweep's values: from, from + step, ... up to `to` (at most `max` points). */
export function sweepValues(from: number, to: number, step: number, max = 41): number[] {
  const n = Math.floor((to - from) / step + 1e-9) + 1;
  if (!(step > 0) || !(to >= from) || n > max) return [];
  return Array.from({ length: n }, (_, i) => Math.round((from + i * step) * 1e6) / 1e6);
}
