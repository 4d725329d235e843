import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { pageShape } from '../common/pagination';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../auth/actor';
import { Disclosure } from '../auth/disclosure';
import { householdInScope, projectInScope, type Scope } from '../auth/scope';
import { DomainError, notFound } from '../common/errors';
import { parseIdNo } from '../common/identity';
import { maskKnownColumns, maskText } from '../common/masking';
import { DatabaseService } from '../database/database.service';
import { Prisma } from '../generated/prisma/client';
import { HOUSEHOLD_CATEGORY, HOUSEHOLD_STATUS, RELATION, codeOf, labelOf } from './vocabulary';
import { LEDGER_FILES, ledgerKindOf, shownColumns } from './ledger-files';
import { isoDate } from '../common/schemas';

const page = pageShape(50);
const vocab = <T extends Record<string, string>>(map: T) =>
  z.string().transform((v, ctx) => {
    const code = codeOf(map, v.trim());
    if (code === null) {
      ctx.addIssue({ code: 'custom', message: `取值无效，应为 ${Object.keys(map).join('/')}` });
      return z.NEVER;
    }
    return code;
  });

export const projectQuery = z.object({ town: z.string().optional(), ...page });
export const unitQuery = z.object({ project: z.string().optional(), town: z.string().optional(), ...page });
export const householdQuery = z.object({
  project: z.string().optional(),
  town: z.string().optional(),
  status: vocab(HOUSEHOLD_STATUS).optional(),
  category: vocab(HOUSEHOLD_CATEGORY).optional(),
  ...page,
});
export const householdPatch = z
  .object({
    status: vocab(HOUSEHOLD_STATUS).optional(),
    category: vocab(HOUSEHOLD_CATEGORY).optional(),
    unitCode: z.string().min(1).nullable().optional(),
    leaseStart: isoDate.nullable().optional(),
    leaseEnd: isoDate.nullable().optional(),
    queuedOn: isoDate.nullable().optional(),
    reason: z.string().trim().min(2, '请说明修改原因'),
  })
  .strict();
export const membersBody = z.object({
  members: z
    .array(z.object({ idNo: z.string().min(1), name: z.string().trim().min(1), relation: vocab(RELATION) }).strict())
    .min(1),
  reason: z.string().trim().min(2, '请说明修改原因'),
});

type HouseholdQuery = z.infer<typeof householdQuery>;
const day = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : null);

/** Reads and edits of the registry (projects, units, households, members). */
@Injectable()
export class RegistryService {
  constructor(
    private readonly db: DatabaseService,
    private readonly audit: AuditService,
  ) {}

  async listProjects(q: z.infer<typeof projectQuery>, actor: Actor) {
    const where: Prisma.ProjectWhereInput = { town: q.town, ...projectInScope(actor.scope) };
    const [total, items] = await Promise.all([
      this.db.prisma.project.count({ where }),
      this.db.prisma.project.findMany({
        where,
        orderBy: { projectCode: 'asc' },
        skip: (q.page - 1) * q.pageSize,
        take: q.pageSize,
        include: { _count: { select: { units: true } } },
      }),
    ]);
    return { total, page: q.page, pageSize: q.pageSize, items: items.map((p) => this.project(p)) };
  }

  async getProject(code: string, actor: Actor) {
    const p = await this.db.prisma.project.findFirst({ where: { projectCode: code, ...projectInScope(actor.scope) }, include: { _count: { select: { units: true } } } });
    if (!p) throw notFound('项目', code);
    return this.project(p);
  }

  private project(p: Prisma.ProjectGetPayload<{ include: { _count: { select: { units: true } } } }>) {
    return {
      projectCode: p.projectCode,
      name: p.name,
      regionCode: p.regionCode,
      town: p.town,
      management: p.management,
      managementLabel: labelOf({ 市直管: 'city', 非市直管: 'non_city' }, p.management),
      owner: p.owner,
      units: p._count.units,
    };
  }

  async listUnits(q: z.infer<typeof unitQuery>, actor: Actor) {
    const where: Prisma.UnitWhereInput = { project: { projectCode: q.project, town: q.town, ...projectInScope(actor.scope) } };
    const [total, items] = await Promise.all([
      this.db.prisma.unit.count({ where }),
      this.db.prisma.unit.findMany({ where, orderBy: { unitCode: 'asc' }, skip: (q.page - 1) * q.pageSize, take: q.pageSize, include: { project: true } }),
    ]);
    return { total, page: q.page, pageSize: q.pageSize, items: items.map((u) => this.unit(u)) };
  }

  async getUnit(code: string, actor: Actor) {
    const u = await this.db.prisma.unit.findFirst({ where: { unitCode: code, project: projectInScope(actor.scope) }, include: { project: true } });
    if (!u) throw notFound('房源', code);
    return this.unit(u);
  }

  private unit(u: Prisma.UnitGetPayload<{ include: { project: true } }>) {
    return {
      unitCode: u.unitCode,
      projectCode: u.project.projectCode,
      projectName: u.project.name,
      town: u.project.town,
      building: u.building,
      roomNo: u.roomNo,
      addressCode: u.addressCode,
      addressText: u.addressText,
      floorArea: u.floorArea === null ? null : Number(u.floorArea),
      rooms: u.rooms,
      monthlyRent: u.monthlyRent === null ? null : Number(u.monthlyRent),
    };
  }

  private householdWhere(q: HouseholdQuery, scope: Scope | undefined): Prisma.HouseholdWhereInput {
    const unitFilter = q.project || q.town ? { unit: { project: { projectCode: q.project, town: q.town } } } : {};
    return { AND: [{ status: q.status, category: q.category, ...unitFilter }, householdInScope(scope)] };
  }

  async listHouseholds(q: HouseholdQuery, actor: Actor, disclosure: Disclosure) {
    const where = this.householdWhere(q, actor.scope);
    const [total, rows] = await Promise.all([
      this.db.prisma.household.count({ where }),
      this.db.prisma.household.findMany({
        where,
        orderBy: { householdCode: 'asc' },
        skip: (q.page - 1) * q.pageSize,
        take: q.pageSize,
        include: { unit: { include: { project: true } }, members: { include: { person: true } } },
      }),
    ]);
    const items = rows.map((h) => {
      const tenant = h.members.find((m) => m.relation === 'tenant');
      return {
        ...this.householdHead(h),
        memberCount: h.members.length,
        tenant: tenant ? { name: tenant.name ?? tenant.person.name, idNo: disclosure.idNo(tenant.person.idNo) } : null,
      };
    });
    await this.audit.record(
      actor,
      disclosure.reveal ? 'household.list.reveal' : 'household.list',
      'household',
      null,
      { filter: { ...q }, households: rows.map((h) => h.id) },
      disclosure.purpose,
    );
    return { total, page: q.page, pageSize: q.pageSize, items };
  }

  async getHousehold(code: string, actor: Actor, disclosure: Disclosure) {
    const h = await this.loadHousehold(code, this.db.prisma, actor.scope);
    await this.audit.record(
      actor,
      disclosure.reveal ? 'household.read.reveal' : 'household.read',
      'household',
      String(h.id),
      { householdCode: h.householdCode, persons: h.members.map((m) => m.personId) },
      disclosure.purpose,
    );
    return this.householdDetail(h, disclosure);
  }

  private async loadHousehold(code: string, db: Prisma.TransactionClient = this.db.prisma, scope?: Scope) {
    const h = await db.household.findFirst({
      where: { householdCode: code, ...householdInScope(scope) },
      include: { unit: { include: { project: true } }, members: { include: { person: true }, orderBy: { personId: 'asc' } } },
    });
    if (!h) throw notFound('家庭', code);
    return h;
  }

  private householdHead(h: Prisma.HouseholdGetPayload<{ include: { unit: { include: { project: true } } } }>) {
    return {
      householdCode: h.householdCode,
      status: h.status,
      statusLabel: labelOf(HOUSEHOLD_STATUS, h.status),
      category: h.category,
      categoryLabel: labelOf(HOUSEHOLD_CATEGORY, h.category),
      unitCode: h.unit?.unitCode ?? null,
      address: h.unit?.addressText ?? null,
      projectCode: h.unit?.project.projectCode ?? null,
      projectName: h.unit?.project.name ?? null,
      town: h.unit?.project.town ?? null,
      lease: { start: day(h.leaseStart), end: day(h.leaseEnd) },
      queuedOn: day(h.queuedOn),
    };
  }

  private householdDetail(h: Awaited<ReturnType<RegistryService['loadHousehold']>>, disclosure: Disclosure) {
    return {
      ...this.householdHead(h),
      members: h.members.map((m) => ({
        idNo: disclosure.idNo(m.person.idNo),
        name: m.name ?? m.person.name,
        relation: m.relation,
        relationLabel: labelOf(RELATION, m.relation),
        // The birth date is the 8 digits a masked ID number hides: without a reveal, the year only.
        birthYear: m.person.birthDate.getUTCFullYear(),
        ...(disclosure.reveal ? { birthDate: day(m.person.birthDate) } : {}),
        sex: m.person.sex,
      })),
    };
  }

  async updateHousehold(code: string, patch: z.infer<typeof householdPatch>, actor: Actor) {
    const before = await this.loadHousehold(code);
    const data: Prisma.HouseholdUncheckedUpdateInput = { updatedAt: new Date() };
    if (patch.status !== undefined) data.status = patch.status;
    if (patch.category !== undefined) data.category = patch.category;
    if (patch.leaseStart !== undefined) data.leaseStart = patch.leaseStart ? new Date(patch.leaseStart) : null;
    if (patch.leaseEnd !== undefined) data.leaseEnd = patch.leaseEnd ? new Date(patch.leaseEnd) : null;
    if (patch.queuedOn !== undefined) data.queuedOn = patch.queuedOn ? new Date(patch.queuedOn) : null;
    if (patch.unitCode !== undefined) {
      if (patch.unitCode === null) data.unitId = null;
      else {
        const unit = await this.db.prisma.unit.findUnique({ where: { unitCode: patch.unitCode } });
        if (!unit) throw new DomainError('VALIDATION', '请求参数无效', [{ field: 'unitCode', reason: `房源不存在: ${patch.unitCode}` }]);
        data.unitId = unit.id;
      }
    }
    const status = (data.status as string | undefined) ?? before.status;
    const unitId = data.unitId !== undefined ? data.unitId : before.unitId;
    if (status === 'active' && unitId === null) {
      throw new DomainError('VALIDATION', '请求参数无效', [{ field: 'unitCode', reason: '在保家庭须有房源' }]);
    }
    const { reason, ...changes } = patch;
    // The edit and its audit entry commit together.
    const after = await this.db.prisma.$transaction(async (tx) => {
      await tx.household.update({ where: { id: before.id }, data });
      const after = await this.loadHousehold(code, tx);
      await this.audit.recordIn(tx, actor, 'household.update', 'household', String(before.id), {
        reason,
        changes,
        before: this.householdHead(before),
        after: this.householdHead(after),
      });
      return after;
    });
    return this.householdDetail(after, Disclosure.masked());
  }

  /** Replaces a household's member list; exactly one 承租人; every ID number valid. */
  async replaceMembers(code: string, body: z.infer<typeof membersBody>, actor: Actor) {
    const issues: { field: string; reason: string }[] = [];
    const parsed = body.members.map((m, i) => {
      const id = parseIdNo(m.idNo);
      if (!id.ok) issues.push({ field: `members.${i}.idNo`, reason: id.reason });
      return { ...m, id: id.ok ? id.value : null };
    });
    const tenants = body.members.filter((m) => m.relation === 'tenant').length;
    if (tenants !== 1) issues.push({ field: 'members', reason: `每户须恰有一名承租人（现有 ${tenants} 名）` });
    const ids = parsed.map((p) => p.id?.idNo).filter(Boolean);
    if (new Set(ids).size !== ids.length) issues.push({ field: 'members', reason: '身份证号重复' });
    if (issues.length) throw new DomainError('VALIDATION', '请求参数无效', issues);

    const before = await this.loadHousehold(code);
    const view = (h: typeof before) => h.members.map((m) => ({ personId: m.personId, relation: m.relation }));
    const after = await this.db.prisma.$transaction(async (tx) => {
      const personIds: number[] = [];
      for (const p of parsed) {
        const person = await tx.person.upsert({
          where: { idNo: p.id!.idNo },
          create: { idNo: p.id!.idNo, name: p.name, birthDate: new Date(p.id!.birthDate), sex: p.id!.sex },
          update: { name: p.name },
        });
        personIds.push(person.id);
        await tx.member.upsert({
          where: { householdId_personId: { householdId: before.id, personId: person.id } },
          create: { householdId: before.id, personId: person.id, relation: p.relation, name: p.name },
          update: { relation: p.relation, name: p.name, updatedAt: new Date() },
        });
      }
      await tx.member.deleteMany({ where: { householdId: before.id, personId: { notIn: personIds } } });
      const after = await this.loadHousehold(code, tx);
      await this.audit.recordIn(tx, actor, 'household.members.replace', 'household', String(before.id), {
        reason: body.reason,
        before: view(before),
        after: view(after),
      });
      return after;
    });
    return this.householdDetail(after, Disclosure.masked());
  }

  async rejections(batchId: number, q: { page: number; pageSize: number }) {
    const where = { batchId };
    const [total, rows] = await Promise.all([
      this.db.prisma.importRejection.count({ where }),
      this.db.prisma.importRejection.findMany({ where, orderBy: [{ fileName: 'asc' }, { line: 'asc' }], skip: (q.page - 1) * q.pageSize, take: q.pageSize }),
    ]);
    const columnsOf = (file: string) => {
      const kind = ledgerKindOf(file);
      return kind ? shownColumns(LEDGER_FILES[kind]) : [];
    };
    return {
      total,
      page: q.page,
      pageSize: q.pageSize,
      items: rows.map((r) => ({ file: r.fileName, line: r.line, reason: maskText(r.reason), raw: maskKnownColumns(r.raw, columnsOf(r.fileName)) })),
    };
  }
}
