import { spawn, ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Starts `node <entry.ts> ...args` from the sources (no build needed), with `env` added. */
export function spawnTs(entry: string, args: string[], env: Record<string, string | undefined>, stdio: 'pipe' | 'ignore' = 'pipe'): ChildProcess {
  return spawn(process.execPath, ['-r', join(ROOT, 'test', 'support', 'swc-register.js'), join(ROOT, entry), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: stdio === 'pipe' ? ['ignore', 'pipe', 'pipe'] : 'ignore',
  });
}

/** Runs the operator CLI (`src/cli.ts`) to its end: exit code, stdout and stderr. */
export async function runCli(args: string[], env: Record<string, string | undefined>, timeoutMs = 120_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnTs('src/cli.ts', args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, stdout, stderr };
}
