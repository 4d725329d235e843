import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Download, type Locator, type Page } from 'playwright-core';

/** The password createUser gives, and the one the first sign-in changes it to. */
export const INITIAL_PASSWORD = 'initial-passphrase-0001';
export const CHANGED_PASSWORD = 'changed-passphrase-0002';

const ROOT = join(__dirname, '..', '..', '..');
const WEB = join(ROOT, 'web');
const SHOTS = join(ROOT, 'test-output', 'screenshots');
const DOCS_SHOTS = join(ROOT, 'docs', 'screenshots');

/** Debian's Chromium (`.ci/run` installs it); the wrapper script, or the binary behind it. */
const CHROMIUM = ['/usr/bin/chromium', '/usr/lib/chromium/chromium'].find((p) => existsSync(p)) ?? '/usr/bin/chromium';

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Builds the console (npm run build:web) when web/dist is missing or older than web/src. */
export function ensureConsoleBuilt(): void {
  const index = join(WEB, 'dist', 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newest(join(WEB, 'src'))) return;
  // Jest sets NODE_ENV=test, which Vite would build into the bundle (React's and antd's dev mode).
  execFileSync('npm', ['run', 'build:web'], { cwd: ROOT, stdio: 'ignore', env: { ...process.env, NODE_ENV: 'production' } });
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Headless Chromium through playwright-core, a fresh profile, a 1366×768 window. */
export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'phr-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A screenshot under test-output/screenshots/; `docs` also copies it to docs/screenshots/. */
export async function screenshot(page: Page, name: string, opts: { docs?: boolean; fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SHOTS, { recursive: true });
  const file = join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: opts.fullPage ?? false });
  if (opts.docs) {
    mkdirSync(DOCS_SHOTS, { recursive: true });
    copyFileSync(file, join(DOCS_SHOTS, `${name}.png`));
  }
  return file;
}

/** The labels of the side menu, in order. */
export async function menuLabels(page: Page): Promise<string[]> {
  const nav = page.getByRole('navigation', { name: '主菜单' });
  await nav.getByRole('menuitem').first().waitFor();
  return (await nav.getByRole('menuitem').allInnerTexts()).map((s) => s.trim());
}

/** Signs in through the form. */
export async function signIn(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
}

/**
 * Signs in as a user createUser made and lands on 工作台. The first time, the password is changed
 * (INITIAL → CHANGED) as the form then asks, and the page is loaded afresh (the 密码已修改 toast gone).
 */
export async function signInAs(page: Page, baseUrl: string, username: string, first: boolean): Promise<void> {
  await signIn(page, baseUrl, username, first ? INITIAL_PASSWORD : CHANGED_PASSWORD);
  if (first) {
    await page.getByLabel('当前密码').fill(INITIAL_PASSWORD);
    await page.getByLabel('新密码', { exact: true }).fill(CHANGED_PASSWORD);
    await page.getByLabel('确认新密码').fill(CHANGED_PASSWORD);
    await page.getByRole('button', { name: '确认修改' }).click();
  }
  await page.waitForURL(`${baseUrl}/dashboard`);
  if (first) await page.reload();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.waitForURL(/\/login/);
}

/**
 * Picks an option of a single select: opens it, clicks the option, and waits until the list has
 * closed (its animation ended), as an open list covers the fields below it.
 */
export async function pickOption(page: Page, field: Locator, option: string | RegExp): Promise<void> {
  await field.click();
  const item = page.locator('.ant-select-item-option').filter({ hasText: option });
  await item.click();
  await item.waitFor({ state: 'hidden' });
}

/** A browser download saved under a temporary folder: its path. */
export async function saveDownload(download: Download): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'phr-download-')), download.suggestedFilename());
  await download.saveAs(file);
  return file;
}
