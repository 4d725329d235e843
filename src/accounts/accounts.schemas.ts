import { z } from 'zod';
import { ROLES } from '../auth/actor';
import { pageShape } from '../common/pagination';

const code = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .regex(/^[\p{L}\p{N}._-]+$/u, '只能含字母、数字、_ . -');
const password = z.string().max(200, '密码最多200个字符');

export const username = z
  .string()
  .trim()
  .min(3, '用户名至少3个字符')
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, '用户名只能含字母、数字、_ . -');

export const createUserBody = z
  .object({
    username,
    displayName: z.string().trim().min(1).max(100).optional(),
    role: z.enum(ROLES),
    /** Scope: towns or projects; neither = the whole city. */
    towns: z.array(code).max(200).optional(),
    projects: z.array(code).max(1000).optional(),
    /** The initial password; none: one is generated and returned once. */
    password: password.optional(),
  })
  .strict();

export const updateUserBody = z
  .object({
    displayName: z.string().trim().min(1).max(100).optional(),
    role: z.enum(ROLES).optional(),
    towns: z.array(code).max(200).optional(),
    projects: z.array(code).max(1000).optional(),
  })
  .strict();

export const resetPasswordBody = z.object({ password: password.optional() }).strict();

export const listUsersQuery = z.object(pageShape(100)).strict();

export const loginBody = z.object({ username: z.string().max(100), password }).strict();

export const changePasswordBody = z.object({ current: password, next: password }).strict();
