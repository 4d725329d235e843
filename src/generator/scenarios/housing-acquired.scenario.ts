import { addDays } from '../../common/dates';
import { Planting, RuleScenarios, scenario } from './scenario';

/**
 * HOUSING_ACQUIRED 新购住房: after the lease start (a waiting household: after joining the list),
 * a local 住宅 bought, a 购房 housing-fund loan, or a 建房 withdrawal. Clean: a loan issued after
 * as-of, a 翻修 loan, a home and loan from before the lease.
 */
/** A housing-fund loan of the tenant (fields in the order purpose, amount, propertyAddress, issuedOn, status). */
const loan = (p: Planting, f: { purpose: string; amount: number; propertyAddress: string; issuedOn: string; status: string }) => {
  p.records.rec('housing-fund', 'loan', { idNo: p.tenant.idNo, name: p.tenant.name, contractNo: `JK${p.index}`, ...f });
};
const bought = (p: Planting, acquiredOn: string) => p.records.property(p.tenant, { floorArea: 40, sharePercent: 25, acquiredOn, acquisitionType: '购买' });

export const housingAcquiredScenarios: RuleScenarios = {
  rule: 'HOUSING_ACQUIRED',
  scenarios: [
    scenario('acquired_purchase', ['HOUSING_ACQUIRED'], (p) => bought(p, addDays(p.start, 200)), { declares: 'housing' }),
    scenario('acquired_fund_loan', ['HOUSING_ACQUIRED'], (p) => {
      loan(p, { purpose: '购房', amount: 300000, propertyAddress: '泉州市丰泽区某小区', issuedOn: addDays(p.start, 100), status: 'active' });
    }),
    scenario('acquired_fund_withdrawal', ['HOUSING_ACQUIRED'], (p) => {
      p.records.rec('housing-fund', 'withdrawal', { idNo: p.tenant.idNo, name: p.tenant.name, reason: '建房', amount: 50000, withdrawnOn: addDays(p.start, 150) });
    }),
    scenario('acquired_loan_after_asof', [], (p) => {
      loan(p, { purpose: '购房', amount: 300000, propertyAddress: '泉州市某小区', issuedOn: addDays(p.asOf, 15), status: 'active' });
    }),
    scenario('acquired_loan_renovation', [], (p) => {
      loan(p, { purpose: '翻修', amount: 80000, propertyAddress: '石狮市某村', issuedOn: addDays(p.start, 100), status: 'active' });
    }),
    scenario('acquired_before_lease', [], (p) => {
      loan(p, { purpose: '购房', amount: 200000, propertyAddress: '石狮市某小区', issuedOn: addDays(p.start, -30), status: 'settled' });
      bought(p, addDays(p.start, -60));
    }),
    // Waiting list: bought after joining it.
    scenario('waiting_acquired', ['HOUSING_ACQUIRED'], (p) => bought(p, addDays(p.d.queuedOn!, 60)), { status: 'waiting' }),
  ],
};
