import type { DeptRecord, HouseholdSnapshot, RecordRef, SnapshotPerson } from './snapshot';
import { ref } from './snapshot';

/**
 * A household's evaluation members at `asOf` (policy.md): registered members alive at asOf,
 * minus a registered 配偶 whose divorce from the 承租人 is recorded, plus any living spouse of a
 * member by a marriage recorded after the lease start (or queue date) and not followed by a
 * divorce of the same two people.
 */
export interface EvaluationMember extends SnapshotPerson {
  relation: string;
  /** Why an unregistered person counts (the marriage record). */
  addedBy?: RecordRef;
}

export interface EvaluationResult {
  members: EvaluationMember[];
  n: number;
  excluded: { personId: number; relation: string; reason: 'deceased' | 'divorced'; records: RecordRef[] }[];
}

export function deathRecord(records: DeptRecord[] | undefined, asOf: string): DeptRecord | undefined {
  return records?.find((r) => r.kind === 'death' && r.data.deathDate && r.data.deathDate <= asOf);
}

/** Marriage events between two persons, dated on or before asOf, oldest first. */
function eventsBetween(records: DeptRecord[], a: number, b: number, asOf: string): DeptRecord[] {
  return records
    .filter(
      (r) =>
        r.kind === 'marriage' &&
        r.data.eventDate &&
        r.data.eventDate <= asOf &&
        ((r.personId === a && r.otherPersonId === b) || (r.personId === b && r.otherPersonId === a)),
    )
    .sort((x, y) => {
      const dx = x.data.eventDate!; // dated: filtered above
      const dy = y.data.eventDate!;
      return dx < dy ? -1 : dx > dy ? 1 : x.updatedAt.localeCompare(y.updatedAt);
    });
}

export function evaluationMembers(s: HouseholdSnapshot, asOf: string): EvaluationResult {
  const tenant = s.members.find((m) => m.relation === 'tenant');
  const start = s.leaseStart ?? s.queuedOn;
  const result: EvaluationResult = { members: [], n: 0, excluded: [] };
  const memberIds = new Set(s.members.map((m) => m.personId));

  for (const m of s.members) {
    const records = s.recordsByPerson.get(m.personId) ?? [];
    const death = deathRecord(records, asOf);
    if (death) {
      result.excluded.push({ personId: m.personId, relation: m.relation, reason: 'deceased', records: [ref(death)] });
      continue;
    }
    if (m.relation === 'spouse' && tenant) {
      const events = eventsBetween(records, m.personId, tenant.personId, asOf);
      const last = events[events.length - 1];
      if (last && last.data.event === 'divorced') {
        result.excluded.push({ personId: m.personId, relation: m.relation, reason: 'divorced', records: [ref(last)] });
        continue;
      }
    }
    result.members.push({ ...m });
  }

  // Spouses by a marriage recorded after the lease start, not since divorced.
  const living = [...result.members];
  for (const m of living) {
    const records = s.recordsByPerson.get(m.personId) ?? [];
    const partners = new Set<number>();
    for (const r of records) {
      if (r.kind !== 'marriage' || r.data.event !== 'married') continue;
      const other = r.personId === m.personId ? r.otherPersonId : r.personId;
      if (other !== null && !memberIds.has(other)) partners.add(other);
    }
    for (const other of partners) {
      if (result.members.some((x) => x.personId === other)) continue;
      const events = eventsBetween(records, m.personId, other, asOf);
      const last = events[events.length - 1];
      if (!last || last.data.event !== 'married') continue;
      if (start && !(last.data.eventDate! > start)) continue; // eventsBetween keeps dated events only
      const person = s.persons.get(other);
      if (!person) continue;
      if (deathRecord(s.recordsByPerson.get(other), asOf)) continue;
      result.members.push({ ...person, relation: 'unregistered_spouse', addedBy: ref(last) });
    }
  }
  result.n = result.members.length;
  return result;
}
