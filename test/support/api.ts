import type { Response } from 'supertest';

/**
 * The JSON body of a response, as the shape the test expects. supertest leaves `body` untyped;
 * the shapes below name only what the tests read, and nothing checks them at run time.
 */
export function bodyOf<T>(res: Response): T {
  return res.body as T;
}

/** A list endpoint's page. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** One field's problem in a 400. */
export interface FieldIssue {
  field: string;
  reason: string;
}

/** An error response: `details` lists the fields of a 400, or says more about a 409. */
export interface ErrorBody<D = FieldIssue[]> {
  statusCode: number;
  code: string;
  message: string;
  details: D;
}

/** An entry of the audit log as GET /api/audit lists it. */
export interface AuditEntry<D = Record<string, unknown>> {
  id: string;
  actor: string;
  role: string;
  action: string;
  entityType: string;
  entityId: string | null;
  purpose: string | null;
  detail: D;
}

/** A token as POST /api/tokens creates it (the secret is shown this once). */
export interface CreatedToken {
  id: number;
  name: string;
  role: string;
  expiresAt: string | null;
  token: string;
}
