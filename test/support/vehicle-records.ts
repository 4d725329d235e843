import { addDays } from '../../src/common/dates';
import { makeIdNo } from '../../src/common/identity';

/** A valid ID number per index: 900 persons per birth day from 1980-01-01. */
export const idFor = (i: number): string => makeIdNo('350581', addDays('1980-01-01', Math.floor(i / 900)).replace(/-/g, ''), i % 900);

/** The department's record id of vehicle `i`. */
export const recordId = (i: number): string => `CG${String(i).padStart(6, '0')}`;

/** A 公安车管 vehicle record as the department's endpoint serves it (feeds.md), with overrides. */
export const vehicle = (i: number, over: Record<string, unknown> = {}) => ({
  recordId: recordId(i),
  updatedAt: '2026-10-01T10:00:00+08:00',
  ownerIdNo: idFor(i),
  ownerName: '张三',
  plateNo: `闽C${i}`,
  vehicleType: '小型汽车',
  usage: '非营运',
  registeredOn: '2024-01-01',
  invoicePrice: 90000,
  status: 'normal',
  ...over,
});
