import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../auth/actor';
import { AppConfig } from '../config/config';
import { DomainError, notFound } from '../common/errors';
import { zodIssues } from '../common/zod-validation.pipe';
import { DatabaseService } from '../database/database.service';
import { PolicyDocument, policyDocumentSchema } from './policy.schema';
import { REFERENCE_POLICY } from './reference-policy';

export interface StoredPolicy {
  id: number;
  version: string;
  effectiveFrom: string;
  document: PolicyDocument;
}

/** A row of policy_version with its document (effective_from as text). */
interface PolicyRow {
  id: number;
  version: string;
  effective_from: string;
  document: PolicyDocument;
}

/** A row of policy_version as the list shows it, without its document. */
interface PolicyListRow {
  id: number;
  version: string;
  region_code: string;
  effective_from: string;
  created_at: Date;
  created_by: string | null;
}

/** The store of policy versions: add-only; the version in force at a date is the latest effective one. */
@Injectable()
export class PolicyService implements OnApplicationBootstrap {
  constructor(
    private readonly db: DatabaseService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureReference();
  }

  /** The reference policy ships as the default version (idempotent). */
  async ensureReference(): Promise<void> {
    await this.db.pool.query(
      `INSERT INTO policy_version (version, region_code, effective_from, document, created_by) VALUES ($1, $2, $3, $4, 'system')
       ON CONFLICT (version) DO NOTHING`,
      [REFERENCE_POLICY.version, REFERENCE_POLICY.regionCode, REFERENCE_POLICY.effectiveFrom, JSON.stringify(REFERENCE_POLICY)],
    );
  }

  parse(input: unknown): PolicyDocument {
    const r = policyDocumentSchema.safeParse(input);
    if (!r.success) throw new DomainError('VALIDATION', '政策文件无效', zodIssues(r.error));
    return r.data;
  }

  async create(input: unknown, actor: Actor): Promise<StoredPolicy> {
    const doc = this.parse(input);
    const id = await this.db.tx(async (c) => {
      const { rows } = await c.query<{ id: number }>(
        `INSERT INTO policy_version (version, region_code, effective_from, document, created_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (version) DO NOTHING RETURNING id`,
        [doc.version, doc.regionCode, doc.effectiveFrom, JSON.stringify(doc), actor.name],
      );
      if (!rows.length) throw new DomainError('CONFLICT', `政策版本已存在且不可修改: ${doc.version}（修改须发布新版本）`);
      await this.audit.recordIn(c, actor, 'policy.create', 'policy_version', String(rows[0].id), { version: doc.version, effectiveFrom: doc.effectiveFrom });
      return rows[0].id;
    });
    return { id, version: doc.version, effectiveFrom: doc.effectiveFrom, document: doc };
  }

  async inForce(asOf: string): Promise<StoredPolicy> {
    await this.ensureReference();
    const { rows } = await this.db.pool.query<PolicyRow>(
      `SELECT id, version, effective_from::text AS effective_from, document FROM policy_version
        WHERE region_code = $1 AND effective_from <= $2 ORDER BY effective_from DESC, id DESC LIMIT 1`,
      [this.config.policyRegion, asOf],
    );
    if (!rows.length) throw new DomainError('UNPROCESSABLE', `${asOf} 无生效的政策版本（地区 ${this.config.policyRegion}）`);
    return { id: rows[0].id, version: rows[0].version, effectiveFrom: rows[0].effective_from, document: rows[0].document };
  }

  async byId(id: number): Promise<StoredPolicy> {
    const { rows } = await this.db.pool.query<PolicyRow>(`SELECT id, version, effective_from::text AS effective_from, document FROM policy_version WHERE id = $1`, [id]);
    if (!rows.length) throw notFound('政策版本', id);
    return { id: rows[0].id, version: rows[0].version, effectiveFrom: rows[0].effective_from, document: rows[0].document };
  }

  async list() {
    const { rows } = await this.db.pool.query<PolicyListRow>(`SELECT id, version, region_code, effective_from::text AS effective_from, created_at, created_by FROM policy_version ORDER BY region_code, effective_from, id`);
    return rows.map((r) => ({ id: r.id, version: r.version, regionCode: r.region_code, effectiveFrom: r.effective_from, createdAt: r.created_at, createdBy: r.created_by }));
  }

  async get(version: string) {
    const { rows } = await this.db.pool.query<PolicyRow>(`SELECT id, version, effective_from::text AS effective_from, document FROM policy_version WHERE version = $1`, [version]);
    if (!rows.length) throw notFound('政策版本', version);
    return rows[0].document;
  }
}
