import type { QueryResultRow } from 'pg';
import { intArrayLiteral } from '../database/copy';
import { SOURCES } from '../sources/sources.catalog';
import type { DeptRecord, HouseholdSnapshot, SnapshotMember, SnapshotPerson } from './snapshot';

/** Reads on any pooled connection (independent reads go in parallel). */
export interface SnapshotDb {
  /** Each read names the shape of its rows. */
  query<R extends QueryResultRow>(sql: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>;
  /** The rows of a large read as COPY text fields (see `copyOutRows`). */
  copyOut(sql: string): Promise<(string | null)[][]>;
}

// Rules need no names, ID numbers or free text from the records: they stay in the database.
const UNUSED_FIELDS = new Set([
  'idNo', 'name', 'ownerIdNo', 'ownerName', 'spouseIdNo', 'spouseName', 'employerName', 'employerCreditCode', 'enterpriseName',
  'creditCode', 'certificateNo', 'address', 'plateNo', 'contractNo', 'propertyAddress', 'addressText', 'addressCode', 'accountNo',
  'period', // also a column
]);

/** Per kind, the fields a rule may read, in a fixed order: the server sends them as a JSON array. */
const KIND_FIELDS = new Map<string, string[]>(
  SOURCES.flatMap((s) => s.kinds.map((k) => [k.kind, Object.keys(k.fields).filter((f) => !UNUSED_FIELDS.has(f))] as [string, string[]])),
);
for (const [kind, fields] of KIND_FIELDS) {
  if (!/^[a-z-]+$/.test(kind) || fields.some((f) => !/^[A-Za-z]+$/.test(f))) throw new Error(`kind or field name unfit for SQL: ${kind}`);
}
const DATA_PROJECTION = `CASE kind ${[...KIND_FIELDS]
  .map(([kind, fields]) => `WHEN '${kind}' THEN json_build_array(${fields.map((f) => `data->'${f}'`).join(', ')})`)
  .join(' ')} ELSE '[]'::json END`;

// Timestamps come as epoch milliseconds: cheaper to write and to read than any text form.
const RECORD_COLUMNS = `source, record_id, (extract(epoch FROM updated_at) * 1000)::bigint, kind,
  person_id, other_person_id, to_char(record_date, 'YYYY-MM-DD'), period, ${DATA_PROJECTION}`;

// Rows as pg gives them: integer columns as numbers, dates cast to text, float8 as numbers.
interface HouseholdRow {
  id: number;
  household_code: string;
  status: HouseholdSnapshot['status'];
  category: string;
  unit_id: number | null;
  lease_start: string | null;
  queued_on: string | null;
}
interface MemberRow {
  household_id: number;
  person_id: number;
  relation: SnapshotMember['relation'];
  id_no: string;
  name: string | null;
  birth_date: string;
}
interface ArrearsRow {
  household_id: number;
  months_in_arrears: number;
  amount: number | null;
  as_of: string;
}
interface SpouseRow {
  id: number;
  id_no: string;
  name: string | null;
  birth_date: string;
}
interface SharedMembershipRow {
  person_id: number;
  household_code: string;
  id: number;
}

function toRecord(f: (string | null)[]): DeptRecord {
  const kind = f[3]!;
  const values = JSON.parse(f[8]!) as unknown[];
  // The fields of the record's kind, typed as stored at ingest (RecordData).
  const data: Record<string, unknown> = {};
  const fields = KIND_FIELDS.get(kind) ?? [];
  for (let i = 0; i < fields.length; i++) data[fields[i]] = values[i] ?? null;
  return {
    source: f[0]!,
    recordId: f[1]!,
    updatedAt: new Date(Number(f[2])).toISOString(),
    kind,
    personId: f[4] === null ? null : Number(f[4]),
    otherPersonId: f[5] === null ? null : Number(f[5]),
    recordDate: f[6],
    period: f[7],
    data,
  };
}

/**
 * Builds the plain snapshots of a shard's households with a handful of set-based reads (never a
 * query per household): households, members, spouses by marriage, the persons' records, the
 * units' residence and meter records, residents' deaths, arrears, and shared memberships.
 */
export async function readSnapshots(c: SnapshotDb, q: { fromId: number; toId: number; scopeRunId: bigint | null }): Promise<HouseholdSnapshot[]> {
  const households = (
    await c.query<HouseholdRow>(
      `SELECT h.id, h.household_code, h.status, h.category, h.unit_id, h.lease_start::text AS lease_start, h.queued_on::text AS queued_on
         FROM household h
        WHERE h.id BETWEEN $1 AND $2 AND h.status IN ('active', 'waiting')
          ${q.scopeRunId !== null ? 'AND EXISTS (SELECT 1 FROM recompute_scope s WHERE s.run_id = $3 AND s.household_id = h.id)' : ''}
        ORDER BY h.id`,
      q.scopeRunId !== null ? [q.fromId, q.toId, q.scopeRunId] : [q.fromId, q.toId],
    )
  ).rows;
  if (!households.length) return [];
  const householdIds = households.map((h) => h.id);
  const unitIds = households.map((h) => h.unit_id).filter((u): u is number => u !== null);

  // The units' records need only the households: read while the members and spouses are.
  const unitRecordsRead = unitIds.length
    ? c
        .copyOut(`SELECT ${RECORD_COLUMNS}, unit_id FROM source_record WHERE NOT deleted AND unit_id = ANY(${intArrayLiteral(unitIds)})`)
        .then((rows) => rows.map((x) => ({ unitId: Number(x[9]), r: toRecord(x) })))
    : Promise.resolve([] as { unitId: number; r: DeptRecord }[]);
  unitRecordsRead.catch(() => undefined); // awaited below; a failure must not go unhandled meanwhile
  const [memberRows, arrears] = await Promise.all([
    c
      .query<MemberRow>(
        `SELECT m.household_id, m.person_id, m.relation, p.id_no, coalesce(m.name, p.name) AS name, p.birth_date::text AS birth_date
           FROM member m JOIN person p ON p.id = m.person_id WHERE m.household_id = ANY($1)`,
        [householdIds],
      )
      .then((r) => r.rows),
    c
      .query<ArrearsRow>(`SELECT household_id, months_in_arrears, amount::float8 AS amount, as_of::text AS as_of FROM arrears WHERE household_id = ANY($1)`, [householdIds])
      .then((r) => r.rows),
  ]);
  const memberIds = [...new Set(memberRows.map((m) => m.person_id))];

  // Persons married to a member (possibly unregistered spouses).
  const spouseRows = (
    await c.query<SpouseRow>(
      `SELECT p.id, p.id_no, p.name, p.birth_date::text AS birth_date FROM person p
        WHERE p.id IN (SELECT r.other_person_id FROM source_record r WHERE r.kind = 'marriage' AND NOT r.deleted AND r.person_id = ANY($1)
                       UNION SELECT r.person_id FROM source_record r WHERE r.kind = 'marriage' AND NOT r.deleted AND r.other_person_id = ANY($1))`,
      [memberIds],
    )
  ).rows;
  const personIds = [...new Set([...memberIds, ...spouseRows.map((s) => s.id)])];

  // Record reads are the bulk of a shard: COPY text, with the columns in RECORD_COLUMNS' order.
  const personList = intArrayLiteral(personIds);
  const [personRecords, unitRecords, shared] = await Promise.all([
    c
      .copyOut(
        `SELECT ${RECORD_COLUMNS} FROM source_record
          WHERE NOT deleted AND kind NOT IN ('residence', 'meter') AND person_id = ANY(${personList})
         UNION ALL
         SELECT ${RECORD_COLUMNS} FROM source_record
          WHERE NOT deleted AND kind = 'marriage' AND other_person_id = ANY(${personList}) AND NOT (person_id = ANY(${personList}))`,
      )
      .then((rows) => rows.map(toRecord)),
    unitRecordsRead,
    // Persons who are members of more than one household; which of those are 在保 is checked here.
    c
      .query<SharedMembershipRow>(
        `SELECT m.person_id, h.household_code, h.id FROM member m JOIN household h ON h.id = m.household_id
          WHERE h.status = 'active' AND m.person_id IN (
            SELECT person_id FROM member WHERE person_id = ANY($1) GROUP BY person_id HAVING count(*) > 1)`,
        [memberIds],
      )
      .then((r) => r.rows),
  ]);
  const memberSet = new Set(memberIds);
  const residents = [...new Set(unitRecords.map((u) => u.r.personId).filter((p): p is number => p !== null && !memberSet.has(p)))];
  const residentDeaths = residents.length
    ? (await c.copyOut(`SELECT ${RECORD_COLUMNS} FROM source_record WHERE NOT deleted AND kind = 'death' AND person_id = ANY(${intArrayLiteral(residents)})`)).map(toRecord)
    : [];

  // Assemble in memory with maps.
  const persons = new Map<number, SnapshotPerson>();
  for (const m of memberRows) persons.set(m.person_id, { personId: m.person_id, idNo: m.id_no, name: m.name, birthDate: m.birth_date });
  for (const s of spouseRows) if (!persons.has(s.id)) persons.set(s.id, { personId: s.id, idNo: s.id_no, name: s.name, birthDate: s.birth_date });
  const byPerson = new Map<number, DeptRecord[]>();
  const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => {
    const a = m.get(k);
    if (a) a.push(v);
    else m.set(k, [v]);
  };
  for (const r of personRecords) {
    if (r.personId !== null) push(byPerson, r.personId, r);
    if (r.otherPersonId !== null && r.otherPersonId !== r.personId) push(byPerson, r.otherPersonId, r);
  }
  const membersByHousehold = new Map<number, SnapshotMember[]>();
  for (const m of memberRows) push(membersByHousehold, m.household_id, { personId: m.person_id, idNo: m.id_no, name: m.name, birthDate: m.birth_date, relation: m.relation });
  const unitRecs = new Map<number, DeptRecord[]>();
  for (const u of unitRecords) push(unitRecs, u.unitId, u.r);
  const deaths = new Map<number, DeptRecord[]>();
  for (const d of residentDeaths) push(deaths, d.personId!, d);
  const arrearsBy = new Map<number, HouseholdSnapshot['arrears']>();
  for (const a of arrears) push(arrearsBy, a.household_id, { monthsInArrears: a.months_in_arrears, amount: a.amount, asOf: a.as_of });
  const activeBy = new Map<number, { id: number; code: string }[]>();
  for (const s of shared) push(activeBy, s.person_id, { id: s.id, code: s.household_code });

  return households.map((h) => {
    const members = membersByHousehold.get(h.id) ?? [];
    const hp = new Map<number, SnapshotPerson>();
    const rec = new Map<number, DeptRecord[]>();
    const ids = new Set(members.map((m) => m.personId));
    // Spouses by marriage of this household's members.
    for (const m of members) {
      for (const r of byPerson.get(m.personId) ?? []) {
        if (r.kind !== 'marriage') continue;
        const other = r.personId === m.personId ? r.otherPersonId : r.personId;
        if (other !== null) ids.add(other);
      }
    }
    for (const id of ids) {
      const p = persons.get(id);
      if (p) hp.set(id, p);
      const rs = byPerson.get(id);
      if (rs) rec.set(id, rs);
    }
    const others = new Map<number, string[]>();
    for (const m of members) {
      const list = (activeBy.get(m.personId) ?? []).filter((x) => x.id !== h.id).map((x) => x.code);
      if (list.length) others.set(m.personId, list);
    }
    return {
      householdId: h.id,
      householdCode: h.household_code,
      status: h.status,
      category: h.category,
      leaseStart: h.lease_start,
      queuedOn: h.queued_on,
      unitId: h.unit_id,
      members,
      persons: hp,
      recordsByPerson: rec,
      unitRecords: h.unit_id !== null ? (unitRecs.get(h.unit_id) ?? []) : [],
      residentDeaths: deaths,
      arrears: arrearsBy.get(h.id) ?? [],
      otherActiveHouseholds: others,
    };
  });
}
