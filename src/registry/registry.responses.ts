import { z } from 'zod';
import { calendarDate, pageOf } from '../common/responses';

export const projectView = z.strictObject({
  projectCode: z.string(),
  name: z.string(),
  regionCode: z.string().nullable(),
  town: z.string().nullable(),
  management: z.string().nullable(),
  managementLabel: z.string().nullable(),
  owner: z.string().nullable(),
  units: z.number().int(),
});
export const projectPage = pageOf(projectView);

export const unitView = z.strictObject({
  unitCode: z.string(),
  projectCode: z.string(),
  projectName: z.string().nullable(),
  town: z.string().nullable(),
  building: z.string().nullable(),
  roomNo: z.string().nullable(),
  addressCode: z.string().nullable(),
  addressText: z.string().nullable(),
  floorArea: z.number().nullable(),
  rooms: z.number().int().nullable(),
  monthlyRent: z.number().nullable(),
});
export const unitPage = pageOf(unitView);

const householdBase = {
  householdCode: z.string(),
  status: z.string(),
  statusLabel: z.string(),
  category: z.string().nullable(),
  categoryLabel: z.string().nullable(),
  unitCode: z.string().nullable(),
  address: z.string().nullable(),
  projectCode: z.string().nullable(),
  projectName: z.string().nullable(),
  town: z.string().nullable(),
  lease: z.strictObject({ start: calendarDate.nullable(), end: calendarDate.nullable() }),
  queuedOn: calendarDate.nullable(),
};
/** A household as the list shows it: the tenant's ID number masked unless disclosed. */
export const householdItem = z.strictObject({
  ...householdBase,
  memberCount: z.number().int(),
  tenant: z.strictObject({ name: z.string(), idNo: z.string() }).nullable(),
});
export const householdPage = pageOf(householdItem);
export const householdDetail = z.strictObject({
  ...householdBase,
  members: z.array(
    z.strictObject({ idNo: z.string(), name: z.string(), relation: z.string(), relationLabel: z.string(), birthYear: z.number().int().nullable(), sex: z.string().nullable() }),
  ),
});

/** What an upload did, file by file. */
export const importReport = z.strictObject({
  batchId: z.number().int(),
  files: z.array(
    z.strictObject({
      file: z.string(),
      kind: z.string().nullable(),
      received: z.number().int(),
      inserted: z.number().int(),
      updated: z.number().int(),
      unchanged: z.number().int(),
      deleted: z.number().int(),
      rejected: z.number().int(),
      rejections: z.array(z.strictObject({ line: z.number().int(), reason: z.string() })),
      error: z.string().optional(),
    }),
  ),
});
export const importRejectionPage = pageOf(z.strictObject({ file: z.string(), line: z.number().int(), reason: z.string(), raw: z.record(z.string(), z.unknown()) }));
