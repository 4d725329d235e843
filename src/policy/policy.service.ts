import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../auth/actor';
import { AppConfig } from '../config/config';
import { DomainError, notFound } from '../common/errors';
import { zodIssues } from '../common/zod-validation.pipe';
import { DatabaseService } from '../database/database.service';
import { PolicyRepository, PolicyRow } from './policy.repository';
import { PolicyDocument, policyDocumentSchema } from './policy.schema';
import { REFERENCE_POLICY } from './reference-policy';

export interface StoredPolicy {
  id: number;
  version: string;
  effectiveFrom: string;
  document: PolicyDocument;
}

const stored = (r: PolicyRow): StoredPolicy => ({ id: r.id, version: r.version, effectiveFrom: r.effective_from, document: r.document });

/** The store of policy versions: add-only; the version in force at a date is the latest effective one. */
@Injectable()
export class PolicyService implements OnApplicationBootstrap {
  constructor(
    private readonly db: DatabaseService,
    private readonly repo: PolicyRepository,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureReference();
  }

  /** Set once the reference policy is known stored: written once per process, not on every read. */
  private reference: Promise<void> | null = null;

  /**
   * The reference policy ships as the default version (idempotent). Stored once per process: every
   * read of the policy in force (each case step, each run) used to repeat the INSERT of the whole
   * document, each burning a value of the id sequence. A failed attempt is tried again next time.
   */
  ensureReference(): Promise<void> {
    this.reference ??= this.repo
      .insert({ version: REFERENCE_POLICY.version, regionCode: REFERENCE_POLICY.regionCode, effectiveFrom: REFERENCE_POLICY.effectiveFrom, document: REFERENCE_POLICY, createdBy: 'system' })
      .then(
        () => undefined,
        (err: unknown) => {
          this.reference = null;
          throw err;
        },
      );
    return this.reference;
  }

  parse(input: unknown): PolicyDocument {
    const r = policyDocumentSchema.safeParse(input);
    if (!r.success) throw new DomainError('VALIDATION', '政策文件无效', zodIssues(r.error));
    return r.data;
  }

  async create(input: unknown, actor: Actor): Promise<StoredPolicy> {
    const doc = this.parse(input);
    const id = await this.db.tx(async (c) => {
      const id = await this.repo.insert({ version: doc.version, regionCode: doc.regionCode, effectiveFrom: doc.effectiveFrom, document: doc, createdBy: actor.name }, c);
      if (id === null) throw new DomainError('CONFLICT', `政策版本已存在且不可修改: ${doc.version}（修改须发布新版本）`);
      await this.audit.recordIn(c, actor, 'policy.create', 'policy_version', String(id), { version: doc.version, effectiveFrom: doc.effectiveFrom });
      return id;
    });
    return { id, version: doc.version, effectiveFrom: doc.effectiveFrom, document: doc };
  }

  async inForce(asOf: string): Promise<StoredPolicy> {
    await this.ensureReference();
    const row = await this.repo.inForce(this.config.policyRegion, asOf);
    if (!row) throw new DomainError('UNPROCESSABLE', `${asOf} 无生效的政策版本（地区 ${this.config.policyRegion}）`);
    return stored(row);
  }

  async byId(id: number): Promise<StoredPolicy> {
    const row = await this.repo.byId(id);
    if (!row) throw notFound('政策版本', id);
    return stored(row);
  }

  async list() {
    const rows = await this.repo.list();
    return rows.map((r) => ({ id: r.id, version: r.version, regionCode: r.region_code, effectiveFrom: r.effective_from, createdAt: r.created_at, createdBy: r.created_by }));
  }

  async get(version: string) {
    const row = await this.repo.byVersion(version);
    if (!row) throw notFound('政策版本', version);
    return row.document;
  }
}
