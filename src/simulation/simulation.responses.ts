import { z } from 'zod';
import { calendarDate, idText, pageOf, timestamp } from '../common/responses';

const count = z.number().int().min(0);
const both = { inForce: count, draft: count };

/** A simulation's head: what ran, on what, and how far it got. */
export const simulationHead = z.strictObject({
  id: idText,
  kind: z.enum(['compare', 'sweep']),
  status: z.enum(['running', 'completed', 'failed']),
  asOf: calendarDate,
  draft: z.strictObject({ id: z.number().int(), name: z.string(), version: z.string() }),
  policyInForce: z.string(),
  sweep: z.strictObject({ parameter: z.string(), values: z.array(z.number()) }).nullable(),
  shards: count,
  households: count,
  evaluated: count,
  createdBy: z.string().nullable(),
  startedAt: timestamp,
  finishedAt: timestamp.nullable(),
  /** Why a failed run failed. */
  error: z.string().nullable(),
});

export const simulationStarted = z.strictObject({ id: idText, shards: count, households: count });
export const simulationPage = pageOf(simulationHead);

/** A simulation with its comparison (households failing under each policy) or its sweep's curve. */
export const simulationResult = simulationHead.extend({
  comparison: z
    .strictObject({
      failing: z.strictObject(both),
      byRule: z.array(z.strictObject({ rule: z.string(), name: z.string(), ...both })),
      byTown: z.array(z.strictObject({ town: z.string(), ...both })),
      byProject: z.array(z.strictObject({ projectCode: z.string(), ...both })),
      byCategory: z.array(z.strictObject({ category: z.string(), ...both })),
    })
    .nullable(),
  /** The sweep's curve: at each value, the households failing any rule, per rule and per town. */
  sweep: z
    .strictObject({
      parameter: z.string(),
      points: z.array(z.strictObject({ value: z.number(), failing: count, byRule: z.record(z.string(), count), byTown: z.record(z.string(), count) })),
    })
    .nullable(),
});

const decision = z.strictObject({
  rule: z.string(),
  name: z.string(),
  firesUnder: z.enum(['draft', 'inForce']),
  values: z.record(z.string(), z.unknown()),
  thresholds: z.strictObject({ inForce: z.record(z.string(), z.unknown()), draft: z.record(z.string(), z.unknown()) }),
  explanation: z.string(),
  /** The value against the line of each policy, in words (as the export writes it). */
  text: z.string(),
});

/** A household whose verdict the draft changes, with the values that decided it. */
export const simulationChanges = pageOf(
  z.strictObject({
    householdCode: z.string(),
    town: z.string().nullable(),
    projectCode: z.string().nullable(),
    change: z.enum(['newly_failing', 'newly_passing', 'changed']),
    rulesInForce: z.array(z.string()),
    rulesDraft: z.array(z.string()),
    decided: z.array(decision),
  }),
);
