import { z } from 'zod';
import { codesOf, HOUSEHOLD_CATEGORY } from '../registry/vocabulary';

/**
 * A policy document (policy.md): every bracketed number is a parameter here, with the date the
 * document takes effect. Documents are versions: never edited, a change is a new version.
 */
const money = z.number().nonnegative();
const days = z.number().int().positive();

export const parametersSchema = z
  .object({
    /** HOUSING_AREA: local residential floor area per evaluation member, m² (≥ fires). */
    housingAreaPerCapita: z.number().positive(),
    /** INCOME_OVER: per-capita annual income, 元 (> fires). */
    incomePerCapita: money,
    /** Months summed for the annual income ("the last 12 months"). */
    incomeMonths: z.number().int().min(1).max(36),
    /** An economic check's annualIncome counts when dated within this many years. */
    economicCheckIncomeYears: z.number().int().min(1),
    /** ASSETS_OVER: household financial assets, 元 (> fires). */
    financialAssets: money,
    economicCheckAssetsYears: z.number().int().min(1),
    /** VEHICLE: invoice price, 元 (> fires). */
    vehiclePrice: money,
    /** BUSINESS: registered capital (legal representative) or capital share (shareholder), 元 (≥ fires). */
    businessCapital: money,
    /** TENANT_DECEASED: adult age. */
    adultAge: z.number().int().min(14).max(21),
    /** Categories HUKOU_OUT does not apply to. */
    hukouExemptCategories: z.array(z.enum(codesOf(HOUSEHOLD_CATEGORY) as [string, ...string[]])),
    sublet: z.object({
      residencePoints: z.number().int().nonnegative(),
      residenceMaxPoints: z.number().int().nonnegative(),
      workPoints: z.number().int().nonnegative(),
      /** Months (of workWindowMonths) with contributions only outside the city. */
      workMonths: z.number().int().min(1),
      workWindowMonths: z.number().int().min(1).max(36),
      electricityPoints: z.number().int().nonnegative(),
      /** Mean monthly kWh per evaluation member (≥ scores). */
      electricityPerCapita: z.number().positive(),
      electricityWindowMonths: z.number().int().min(1).max(24),
      highScore: z.number().int().positive(),
      mediumScore: z.number().int().positive(),
      inspectionDays: days,
    }),
    vacant: z.object({
      months: z.number().int().min(1).max(24),
      /** Every month below these (kWh, m³). */
      electricityBelow: z.number().positive(),
      waterBelow: z.number().positive(),
    }),
    /** ARREARS: months in arrears (≥ fires). */
    arrearsMonths: z.number().int().positive(),
    exit: z.object({
      eligibilityDeadlineDays: days,
      violationDeadlineDays: days,
      contestWindowDays: days,
    }),
  })
  .strict();

export type PolicyParameters = z.infer<typeof parametersSchema>;

export const policyDocumentSchema = z
  .object({
    version: z.string().regex(/^[\w.-]{1,60}$/, 'letters, digits, _ . - only'),
    name: z.string().min(1),
    regionCode: z.string().regex(/^\d{6}$/, '6-digit region code'),
    effectiveFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'),
    parameters: parametersSchema,
    /** Per-category overrides of any top-level parameter. */
    categoryOverrides: z.partialRecord(z.enum(codesOf(HOUSEHOLD_CATEGORY) as [string, ...string[]]), parametersSchema.partial()).default({}),
  })
  .strict();

export type PolicyDocument = z.infer<typeof policyDocumentSchema>;

/** The policy as a rule sees it: parameters for one household's category, and its version. */
export interface EffectivePolicy {
  version: string;
  regionCode: string;
  /** The city: the first 4 digits of the region code. */
  city: string;
  p: PolicyParameters;
}

export function effectivePolicy(doc: PolicyDocument, category: string): EffectivePolicy {
  const o = doc.categoryOverrides?.[category] ?? {};
  return { version: doc.version, regionCode: doc.regionCode, city: doc.regionCode.slice(0, 4), p: { ...doc.parameters, ...o } };
}
