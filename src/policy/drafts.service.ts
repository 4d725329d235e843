import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/actor';
import { today } from '../common/clock';
import { DomainError, notFound } from '../common/errors';
import { zodIssues } from '../common/zod-validation.pipe';
import { DatabaseService } from '../database/database.service';
import { DraftRow, DraftsRepository } from './drafts.repository';
import { ParametersPatch } from './drafts.schemas';
import { PolicyRepository } from './policy.repository';
import { PolicyDocument, policyDocumentSchema } from './policy.schema';
import { PolicyService } from './policy.service';

/** A document with some parameters changed (a group's parameters one by one). */
export function withParameters(doc: PolicyDocument, patch: ParametersPatch): PolicyDocument {
  const p = doc.parameters;
  return {
    ...doc,
    parameters: {
      ...p,
      ...patch,
      sublet: { ...p.sublet, ...patch.sublet },
      vacant: { ...p.vacant, ...patch.vacant },
      exit: { ...p.exit, ...patch.exit },
    },
  };
}

/** A draft as the API shows it. */
export function mapDraft(d: DraftRow) {
  return {
    id: d.id,
    name: d.name,
    baseVersion: d.base_version,
    status: d.status,
    adoptedVersion: d.adopted_version,
    document: d.document,
    createdBy: d.created_by,
    createdAt: d.created_at,
    updatedAt: d.updated_at,
  };
}

/**
 * Draft policies: a copy of a version with some parameters changed, validated by the same schema as
 * a version, editable until adopted. Adopting stores it as a new immutable version in force from a
 * date; drafts are never in force and no real run reads one.
 */
@Injectable()
export class DraftsService {
  constructor(
    private readonly db: DatabaseService,
    private readonly repo: DraftsRepository,
    private readonly versions: PolicyRepository,
    private readonly policies: PolicyService,
    private readonly audit: AuditService,
  ) {}

  /** The document checked like a version's: 400 naming each bad parameter. */
  private validated(doc: PolicyDocument): PolicyDocument {
    const r = policyDocumentSchema.safeParse(doc);
    if (!r.success) throw new DomainError('VALIDATION', '政策草案无效', zodIssues(r.error));
    return r.data;
  }

  async create(body: { name: string; from?: string; parameters: ParametersPatch }, actor: Actor) {
    const base = body.from ? await this.versions.byVersion(body.from) : await this.policies.inForce(today());
    if (!base) throw notFound('政策版本', body.from!);
    const baseDoc = base.document;
    const id = await this.db.tx(async (c) => {
      const draftId = await this.repo.insert(c, { name: body.name, baseVersion: baseDoc.version, document: baseDoc, createdBy: actor.name });
      // The draft's own version name, which its simulated findings cite.
      const document = this.validated({ ...withParameters(baseDoc, body.parameters), version: `draft-${draftId}` });
      await this.repo.update(c, draftId, { name: body.name, document });
      await this.audit.recordIn(c, actor, 'policy.draft.create', 'policy_draft', String(draftId), { from: baseDoc.version, parameters: body.parameters });
      return draftId;
    });
    return this.get(id);
  }

  async update(id: number, body: { name?: string; parameters?: ParametersPatch }, actor: Actor) {
    await this.db.tx(async (c) => {
      const d = await this.repo.get(id, c, true);
      if (!d) throw notFound('政策草案', id);
      if (d.status !== 'draft') throw new DomainError('CONFLICT', `草案已采纳为版本 ${d.adopted_version}，不能再修改`);
      const document = this.validated(withParameters(d.document, body.parameters ?? {}));
      await this.repo.update(c, id, { name: body.name ?? d.name, document });
      await this.audit.recordIn(c, actor, 'policy.draft.update', 'policy_draft', String(id), { name: body.name, parameters: body.parameters });
    });
    return this.get(id);
  }

  /** Stores the draft as version `version`, in force from `effectiveFrom`; the draft is frozen. */
  async adopt(id: number, body: { version: string; effectiveFrom: string }, actor: Actor) {
    await this.db.tx(async (c) => {
      const d = await this.repo.get(id, c, true);
      if (!d) throw notFound('政策草案', id);
      if (d.status !== 'draft') throw new DomainError('CONFLICT', `草案已采纳为版本 ${d.adopted_version}`);
      const document = this.validated({ ...d.document, version: body.version, effectiveFrom: body.effectiveFrom });
      const versionId = await this.versions.insert({ version: document.version, regionCode: document.regionCode, effectiveFrom: document.effectiveFrom, document, createdBy: actor.name }, c);
      if (versionId === null) throw new DomainError('CONFLICT', `政策版本已存在且不可修改: ${body.version}`);
      await this.repo.markAdopted(c, id, versionId);
      await this.audit.recordIn(c, actor, 'policy.draft.adopt', 'policy_draft', String(id), { version: body.version, effectiveFrom: body.effectiveFrom, versionId });
    });
    return this.get(id);
  }

  async get(id: number) {
    const d = await this.repo.get(id);
    if (!d) throw notFound('政策草案', id);
    return mapDraft(d);
  }

  async row(id: number): Promise<DraftRow> {
    const d = await this.repo.get(id);
    if (!d) throw notFound('政策草案', id);
    return d;
  }

  async list() {
    return (await this.repo.list()).map(mapDraft);
  }
}
