import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashPassword, passwordIssues, verifyPassword } from '../../src/accounts/passwords';

describe('passwords: scrypt hashes and the policy', () => {
  it('stores scrypt with its parameters and a salt; verifies only the right password', async () => {
    const a = await hashPassword('correct-horse-battery-staple');
    const b = await hashPassword('correct-horse-battery-staple');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct-horse-battery-staple', a)).toBe(true);
    expect(await verifyPassword('correct-horse-battery-stapl', a)).toBe(false);
    expect(await verifyPassword('x', 'md5$abc')).toBe(false);
  });

  it('refuses short passwords, the username, and common passwords, naming the field', () => {
    expect(passwordIssues('short', 'u', 'next')).toEqual([{ field: 'next', reason: '密码至少12个字符' }]);
    expect(passwordIssues('Zhang.San.2026', 'zhang.san.2026', 'password')).toEqual([{ field: 'password', reason: '密码不能与用户名相同' }]);
    expect(passwordIssues('Password1234', 'u', 'password')).toEqual([{ field: 'password', reason: '密码过于常见' }]);
    expect(passwordIssues('a-long-unusual-passphrase', 'u', 'password')).toEqual([]);
  });

  it('ships at least 100 common passwords', () => {
    const list = readFileSync(join(__dirname, '../../src/accounts/common-passwords.txt'), 'utf8').split('\n').filter(Boolean);
    expect(list.length).toBeGreaterThanOrEqual(100);
  });
});
