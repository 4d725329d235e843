import type { AddressInfo } from 'node:net';
import type { TestApp } from '../../support/test-app';

/** The listening test app's base URL (http://127.0.0.1:<port>). */
export function baseUrlOf(t: TestApp): string {
  return `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
}

/** Creates a user over the API with the admin token; they must change the password at first sign-in. */
export async function createUser(t: TestApp, user: { username: string; role: string; password: string; displayName?: string; towns?: string[] }): Promise<void> {
  const res = await fetch(`${baseUrlOf(t)}/api/users`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${t.tokens.admin}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(user),
  });
  if (res.status !== 201) throw new Error(`create user ${user.username}: ${res.status} ${await res.text()}`);
}
