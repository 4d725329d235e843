import type { RuleCode } from '../../eligibility/rules/rule';
import type { HouseholdStatus } from '../../registry/vocabulary';
import type { Member } from '../draft';
import { Planting, RuleScenarios, scenario } from './scenario';

/**
 * DUPLICATE 重复享受: a member of a 在保 household is a member of another 在保 household. The
 * scenario writes two households: this one, with a new adult child, and a clean twin (code suffix
 * D) listing the same person as 其他. Both are found; clean: the twin has exited.
 */
const shared = (twinStatus: HouseholdStatus, twinExpect: RuleCode[]) => (p: Planting) => {
  const member: Member = { ...p.personAged(20, 30), relation: 'child' };
  p.d.members.push(member);
  const twin = p.twin(twinStatus);
  twin.members.push({ ...member, relation: 'other' });
  twin.expect = twinExpect;
};

export const duplicateScenarios: RuleScenarios = {
  rule: 'DUPLICATE',
  scenarios: [
    scenario('duplicate_membership', ['DUPLICATE'], shared('active', ['DUPLICATE'])),
    scenario('duplicate_with_exited', [], shared('exited', [])),
  ],
};
