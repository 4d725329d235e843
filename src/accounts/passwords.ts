import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FieldIssue } from '../common/errors';

/** scrypt's cost: N = 2^15, r = 8, p = 1 (32 MiB, about 90 ms here). Stored with each hash. */
const N = 1 << 15;
const R = 8;
const P = 1;
const KEY_LEN = 32;
const MAX_MEM = 64 * 1024 * 1024;

export const MIN_PASSWORD_LENGTH = 12;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LEN, { N: n, r, p, maxmem: MAX_MEM }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** `scrypt$N$r$p$salt$hash` (base64url). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number);
  const expected = Buffer.from(parts[5], 'base64url');
  const key = await derive(password, Buffer.from(parts[4], 'base64url'), n, r, p);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash of a password nobody knows: verified against for unknown users, so they take as long. */
let dummy: Promise<string> | undefined;
export const dummyHash = (): Promise<string> => (dummy ??= hashPassword(randomBytes(24).toString('base64url')));

let common: Set<string> | undefined;
/** The list, read once per process (not looked for on disk at every check). */
function commonPasswords(): Set<string> {
  if (common) return common;
  // Beside this file in src/; from dist/src/accounts, the same file in src/ (tsc copies no .txt).
  const file = [join(__dirname, 'common-passwords.txt'), join(__dirname, '..', '..', '..', 'src', 'accounts', 'common-passwords.txt')].find((f) => existsSync(f));
  if (!file) throw new Error('common-passwords.txt not found');
  common = new Set(
    readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => l.trim().toLowerCase())
      .filter(Boolean),
  );
  return common;
}

/** The policy: at least 12 characters, not the username, not a common password. Issues name `field`. */
export function passwordIssues(password: string, username: string, field: string): FieldIssue[] {
  if (password.length < MIN_PASSWORD_LENGTH) return [{ field, reason: `密码至少${MIN_PASSWORD_LENGTH}个字符` }];
  const lower = password.trim().toLowerCase();
  if (lower === username.trim().toLowerCase()) return [{ field, reason: '密码不能与用户名相同' }];
  if (commonPasswords().has(lower)) return [{ field, reason: '密码过于常见' }];
  return [];
}

/** A one-time initial password (shown once; the user must change it at first sign-in). */
export const generatePassword = (): string => randomBytes(15).toString('base64url');
