/**
 * The planted cases of the synthetic city: one per rule code of policy.md (with its variants),
 * and clean households sitting exactly at, or just short of, each threshold. Each scenario names
 * the findings the engine must produce for the household it shapes (empty = must stay clean).
 */

import type { RuleCode } from '../eligibility/rules/rule';

export type { RuleCode };

export interface Scenario {
  name: string;
  expect: RuleCode[];
  /** Expected sublet level where the scenario sets one (else the household must be low). */
  sublet?: { score: number; level: 'medium' | 'high' | 'low' };
  status?: 'active' | 'waiting' | 'exited';
  /** Household shape the scenario needs. */
  shape?: { spouse?: boolean; size?: number; minorChild?: 17 | 18; category?: 'migrant_worker' };
  /** Only the tenant earns (income scenarios control the per-capita figure). */
  tenantOnlyIncome?: boolean;
  /** The tenant declared the matter (主动申报) before the run. */
  declares?: string;
}

const s = (name: string, expect: RuleCode[], extra: Omit<Scenario, 'name' | 'expect'> = {}): Scenario => ({ name, expect, ...extra });

export const SCENARIOS: Scenario[] = [
  // HOUSING_AREA
  s('housing_area_at_threshold', ['HOUSING_AREA']),
  s('housing_area_shared', ['HOUSING_AREA'], { shape: { spouse: true } }),
  s('housing_area_cancel_after_asof', ['HOUSING_AREA']),
  s('housing_area_just_under', []),
  s('housing_area_cancelled', []),
  s('housing_area_non_local', []),
  s('housing_area_withdrawn_record', []),
  // HOUSING_ACQUIRED
  s('acquired_purchase', ['HOUSING_ACQUIRED'], { declares: 'housing' }),
  s('acquired_fund_loan', ['HOUSING_ACQUIRED']),
  s('acquired_fund_withdrawal', ['HOUSING_ACQUIRED']),
  s('acquired_loan_after_asof', []),
  s('acquired_loan_renovation', []),
  s('acquired_before_lease', []),
  // INCOME_OVER
  s('income_over_contribution', ['INCOME_OVER'], { tenantOnlyIncome: true }),
  s('income_at_threshold', [], { tenantOnlyIncome: true }),
  s('income_over_economic_check', ['INCOME_OVER'], { tenantOnlyIncome: true }),
  s('income_economic_check_stale', [], { tenantOnlyIncome: true }),
  s('income_over_deposit_base', ['INCOME_OVER'], { tenantOnlyIncome: true }),
  s('income_over_member_died', ['INCOME_OVER'], { tenantOnlyIncome: true, shape: { spouse: true, size: 2 } }),
  // ASSETS_OVER
  s('assets_over', ['ASSETS_OVER']),
  s('assets_over_split', ['ASSETS_OVER'], { shape: { spouse: true } }),
  s('assets_at_threshold', []),
  s('assets_stale_check', []),
  // VEHICLE
  s('vehicle_over', ['VEHICLE']),
  s('vehicle_over_declared', ['VEHICLE'], { declares: 'vehicle' }),
  s('vehicle_at_threshold', []),
  s('vehicle_motorcycle', []),
  s('vehicle_commercial', []),
  s('vehicle_deregistered', []),
  s('vehicle_superseded_version', []),
  s('vehicle_unregistered_spouse', ['VEHICLE'], { shape: { spouse: false } }),
  s('vehicle_divorced_spouse', [], { shape: { spouse: true } }),
  s('vehicle_marriage_after_asof', [], { shape: { spouse: false } }),
  // BUSINESS
  s('business_legal_rep', ['BUSINESS']),
  s('business_shareholder', ['BUSINESS']),
  s('business_shareholder_under', []),
  s('business_individual', []),
  s('business_cancelled', []),
  // HUKOU_OUT
  s('hukou_out_non_local', ['HUKOU_OUT']),
  s('hukou_cancelled', ['HUKOU_OUT']),
  s('hukou_out_local', []),
  s('hukou_out_migrant_worker', [], { shape: { category: 'migrant_worker' } }),
  s('hukou_out_then_back', []),
  s('hukou_cancelled_deceased', [], { shape: { spouse: true } }),
  // TENANT_DECEASED
  s('tenant_deceased_alone', ['TENANT_DECEASED'], { shape: { size: 1 } }),
  s('tenant_deceased_minor_child', ['TENANT_DECEASED'], { shape: { size: 2, minorChild: 17 } }),
  s('tenant_deceased_child_turns_18', [], { shape: { size: 2, minorChild: 18 } }),
  // DUPLICATE (the scenario writes two households sharing a member)
  s('duplicate_membership', ['DUPLICATE']),
  s('duplicate_with_exited', []),
  // SUBLET
  s('sublet_two_strangers', ['SUBLET'], { sublet: { score: 60, level: 'high' } }),
  s('sublet_stranger_and_power', ['SUBLET'], { sublet: { score: 70, level: 'high' } }),
  s('sublet_one_stranger', ['SUBLET'], { sublet: { score: 50, level: 'medium' } }),
  s('sublet_works_elsewhere', ['SUBLET'], { sublet: { score: 30, level: 'medium' } }),
  s('sublet_works_elsewhere_and_power', ['SUBLET'], { sublet: { score: 50, level: 'medium' } }),
  s('sublet_power_only', [], { sublet: { score: 20, level: 'low' } }),
  s('sublet_elsewhere_five_months', []),
  s('sublet_elsewhere_with_local', []),
  s('sublet_expired_registration', []),
  // VACANT
  s('vacant', ['VACANT']),
  s('vacant_two_accounts', ['VACANT']),
  s('vacant_one_month_at_10', []),
  s('vacant_missing_month', []),
  // ARREARS
  s('arrears_6_months', ['ARREARS']),
  s('arrears_5_months', []),
  s('arrears_older_record', []),
  // waiting list and exited households
  s('waiting_vehicle', ['VEHICLE'], { status: 'waiting' }),
  s('waiting_acquired', ['HOUSING_ACQUIRED'], { status: 'waiting' }),
  s('waiting_works_elsewhere', [], { status: 'waiting' }),
  s('exited_vehicle', [], { status: 'exited' }),
];

export const CLEAN: Scenario = { name: 'clean', expect: [] };
