import type { AuditService } from '../../src/audit/audit.service';
import type { AppConfig } from '../../src/config/config';
import type { DatabaseService } from '../../src/database/database.service';
import type { PolicyRepository, PolicyRow } from '../../src/policy/policy.repository';
import { PolicyService } from '../../src/policy/policy.service';
import { REFERENCE_POLICY } from '../../src/policy/reference-policy';

/** A repository that counts the reference policy's INSERTs (each one burns a value of the id sequence). */
function fakeRepo(failFirst = false) {
  const calls = { insert: 0 };
  const row: PolicyRow = { id: 1, version: REFERENCE_POLICY.version, effective_from: REFERENCE_POLICY.effectiveFrom, document: REFERENCE_POLICY };
  const repo = {
    insert: () => {
      calls.insert++;
      return failFirst && calls.insert === 1 ? Promise.reject(new Error('connection lost')) : Promise.resolve(null);
    },
    inForce: () => Promise.resolve(row),
  };
  return { calls, repo: repo as unknown as PolicyRepository };
}

const service = (repo: PolicyRepository) =>
  new PolicyService({} as DatabaseService, repo, {} as AuditService, { policyRegion: REFERENCE_POLICY.regionCode } as AppConfig);

describe('PolicyService: the reference policy', () => {
  it('is stored once per process, not on every read of the policy in force (each case step reads it)', async () => {
    const { calls, repo } = fakeRepo();
    const policies = service(repo);
    await policies.onApplicationBootstrap();
    for (let i = 0; i < 5; i++) expect((await policies.inForce('2026-11-01')).version).toBe(REFERENCE_POLICY.version);
    expect(calls.insert).toBe(1);
  });

  it('a failed attempt is tried again at the next read', async () => {
    const { calls, repo } = fakeRepo(true);
    const policies = service(repo);
    await expect(policies.inForce('2026-11-01')).rejects.toThrow('connection lost');
    await policies.inForce('2026-11-01');
    await policies.inForce('2026-11-01');
    expect(calls.insert).toBe(2);
  });
});
