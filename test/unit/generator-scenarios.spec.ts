import { RULES } from '../../src/eligibility/rules';
import { CLEAN, RULE_SCENARIOS, SCENARIOS } from '../../src/generator/scenarios/index';

describe('generator scenarios: one file per rule code, as the rules', () => {
  const all = Object.values(RULE_SCENARIOS).flatMap((f) => f.scenarios);

  it('every rule code has its scenario file, in the order of the rules', () => {
    expect(Object.keys(RULE_SCENARIOS)).toEqual(Object.keys(RULES));
    for (const [code, file] of Object.entries(RULE_SCENARIOS)) expect(file.rule).toBe(code);
  });

  it('each file plants its rule found and households that must stay clean, and expects no other rule', () => {
    for (const f of Object.values(RULE_SCENARIOS)) {
      expect({ rule: f.rule, found: f.scenarios.some((s) => s.expect.includes(f.rule)), clean: f.scenarios.some((s) => !s.expect.length) }).toEqual({ rule: f.rule, found: true, clean: true });
      expect(f.scenarios.filter((s) => s.expect.some((c) => c !== f.rule)).map((s) => s.name)).toEqual([]);
    }
  });

  it('SCENARIOS holds every scenario once, under a unique name, the 在保 ones first', () => {
    expect(SCENARIOS).toHaveLength(all.length);
    expect(new Set(SCENARIOS)).toEqual(new Set(all));
    expect(new Set(all.map((s) => s.name)).size).toBe(all.length);
    expect(all).not.toContain(CLEAN);
    const firstOther = SCENARIOS.findIndex((s) => s.status);
    expect(SCENARIOS.slice(firstOther).every((s) => s.status)).toBe(true);
  });
});
