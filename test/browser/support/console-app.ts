import type { AddressInfo } from 'node:net';
import { generateCity } from '../../../src/generator/city-generator';
import { dropFeeds } from '../../support/city';
import { tempDir } from '../../support/files';
import { loadCity, syncCity } from '../../support/lifecycle';
import { startTestApp, type TestApp } from '../../support/test-app';
import { ensureConsoleBuilt, INITIAL_PASSWORD } from './browser';

/** The listening test app's base URL (http://127.0.0.1:<port>). */
export function baseUrlOf(t: TestApp): string {
  return `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
}

/**
 * The console built, a generated city's app started (all roles) and the city in it: `sync` imports the
 * ledger and syncs the feeds (their recomputes and cases passes run); `full` adds one full run.
 */
export async function startConsoleWithCity(
  label: string,
  city: { households: number; seed: number },
  opts: { load: 'sync' | 'full'; env?: Record<string, string> },
): Promise<{ t: TestApp; url: string; cityDir: string }> {
  ensureConsoleBuilt();
  const cityDir = tempDir(`${label}-city`);
  await generateCity({ ...city, outDir: cityDir, json: false });
  const t = await startTestApp(label, { APP_ROLE: 'all', FEED_DROP_DIR: dropFeeds(cityDir, `${label}-drop`), ...opts.env });
  await (opts.load === 'full' ? loadCity : syncCity)(t.app, cityDir, label);
  return { t, url: baseUrlOf(t), cityDir };
}

/** A call with the admin token (JSON in and out); throws on an answer other than 2xx. */
export async function adminApi<T>(t: TestApp, path: string, init?: { method: string; body: unknown }): Promise<T> {
  const res = await fetch(`${baseUrlOf(t)}${path}`, {
    method: init?.method ?? 'GET',
    headers: { Authorization: `Bearer ${t.tokens.admin}`, 'Content-Type': 'application/json' },
    body: init ? JSON.stringify(init.body) : undefined,
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Creates a user over the API with the admin token (INITIAL_PASSWORD unless given); they must change it at first sign-in. */
export async function createUser(t: TestApp, user: { username: string; role: string; password?: string; displayName?: string; towns?: string[] }): Promise<void> {
  await adminApi(t, '/api/users', { method: 'POST', body: { password: INITIAL_PASSWORD, ...user } });
}
