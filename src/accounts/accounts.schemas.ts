import { z } from 'zod';
import { ROLES } from '../auth/actor';
import { pageShape } from '../common/pagination';

/** A town's name or a project's code in a scope. */
export const scopeCode = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .regex(/^[\p{L}\p{N}._-]+$/u, '只能含字母、数字、_ . -');
const password = z.string().max(200, '密码最多200个字符');

/** Control (Cc), format (Cf: zero-width, bidi) characters and lone surrogates: PostgreSQL refuses NUL and lone surrogates (a 500). */
const UNSHOWABLE = /[\p{Cc}\p{Cf}]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

/** A short free text shown to people (a display name, a token's name): trimmed, bounded, no invisible characters. */
export const visibleText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !UNSHOWABLE.test(s), '含有控制字符或不可见字符');

/** 15 or 18 characters like a resident ID number: never a username (it would be shown, logged and audited in clear). */
const ID_SHAPED = /^(?:\d{15}|\d{17}[\dXx])$/;

export const username = z
  .string()
  .trim()
  .min(3, '用户名至少3个字符')
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, '用户名只能含字母、数字、_ . -')
  .refine((s) => !ID_SHAPED.test(s), '用户名不能是身份证号')
  // Usernames are case-insensitive: Zhang.San and zhang.san are one user (stored lower-case).
  .transform((s) => s.toLowerCase());

export const createUserBody = z
  .object({
    username,
    displayName: visibleText(100).optional(),
    role: z.enum(ROLES),
    /** Scope: towns or projects; neither = the whole city. */
    towns: z.array(scopeCode).max(200).optional(),
    projects: z.array(scopeCode).max(1000).optional(),
    /** The initial password; none: one is generated and returned once. */
    password: password.optional(),
  })
  .strict();

export const updateUserBody = z
  .object({
    displayName: visibleText(100).optional(),
    role: z.enum(ROLES).optional(),
    towns: z.array(scopeCode).max(200).optional(),
    projects: z.array(scopeCode).max(1000).optional(),
    /** true re-enables a disabled user; false disables (and ends their sessions). */
    active: z.boolean().optional(),
  })
  .strict();

export const resetPasswordBody = z.object({ password: password.optional() }).strict();

export const listUsersQuery = z.object(pageShape(100)).strict();

/** The username is checked like a new user's: a NUL or a lone surrogate would otherwise reach PostgreSQL (a 500), an ID number the audit log. */
export const loginBody = z.object({ username, password }).strict();

export const changePasswordBody = z.object({ current: password, next: password }).strict();
