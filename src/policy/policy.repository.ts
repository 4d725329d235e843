import { Injectable } from '@nestjs/common';
import { Pool, PoolClient } from 'pg';
import { DatabaseService } from '../database/database.service';
import { PolicyDocument } from './policy.schema';

/** A row of policy_version with its document (effective_from as text). */
export interface PolicyRow {
  id: number;
  version: string;
  effective_from: string;
  document: PolicyDocument;
}

/** A row of policy_version as the list shows it, without its document. */
export interface PolicyListRow {
  id: number;
  version: string;
  region_code: string;
  effective_from: string;
  created_at: Date;
  created_by: string | null;
}

/** A policy version to add. */
export interface NewPolicy {
  version: string;
  regionCode: string;
  effectiveFrom: string;
  document: PolicyDocument;
  createdBy: string;
}

/** policy_version: add-only (a version, once stored, is never changed). */
@Injectable()
export class PolicyRepository {
  constructor(private readonly db: DatabaseService) {}

  /** Adds a version; null when that version is already stored. `c`: the caller's transaction, else the pool. */
  async insert(p: NewPolicy, c: Pool | PoolClient = this.db.pool): Promise<number | null> {
    const { rows } = await c.query<{ id: number }>(
      `INSERT INTO policy_version (version, region_code, effective_from, document, created_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (version) DO NOTHING RETURNING id`,
      [p.version, p.regionCode, p.effectiveFrom, JSON.stringify(p.document), p.createdBy],
    );
    return rows[0]?.id ?? null;
  }

  /** The version in force in a region on a day: the latest effective on or before it. */
  async inForce(regionCode: string, asOf: string): Promise<PolicyRow | undefined> {
    const { rows } = await this.db.pool.query<PolicyRow>(
      `SELECT id, version, effective_from::text AS effective_from, document FROM policy_version
        WHERE region_code = $1 AND effective_from <= $2 ORDER BY effective_from DESC, id DESC LIMIT 1`,
      [regionCode, asOf],
    );
    return rows[0];
  }

  async byId(id: number): Promise<PolicyRow | undefined> {
    const { rows } = await this.db.pool.query<PolicyRow>(`SELECT id, version, effective_from::text AS effective_from, document FROM policy_version WHERE id = $1`, [id]);
    return rows[0];
  }

  async byVersion(version: string): Promise<PolicyRow | undefined> {
    const { rows } = await this.db.pool.query<PolicyRow>(`SELECT id, version, effective_from::text AS effective_from, document FROM policy_version WHERE version = $1`, [version]);
    return rows[0];
  }

  async list(): Promise<PolicyListRow[]> {
    const { rows } = await this.db.pool.query<PolicyListRow>(`SELECT id, version, region_code, effective_from::text AS effective_from, created_at, created_by FROM policy_version ORDER BY region_code, effective_from, id`);
    return rows;
  }
}
