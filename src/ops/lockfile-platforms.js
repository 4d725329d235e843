#!/usr/bin/env node
// Adds to package-lock.json the other platforms' optional native packages (SWC, msgpackr,
// unrs-resolver) that this machine's registry mirror does not describe, so that `npm ci` accepts
// the lock file. They are optional and restricted by os/cpu: npm never installs them here.
// Usage: node src/ops/lockfile-platforms.js NAME...   (the names `npm ci` reports as missing)
const fs = require('fs');
const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8'));
const names = process.argv.slice(2);
const parents = Object.entries(lock.packages);
for (const name of names) {
  const key = `node_modules/${name}`;
  if (lock.packages[key]) continue;
  const parent = parents.find(([, p]) => p.optionalDependencies && p.optionalDependencies[name]);
  if (!parent) throw new Error(`no package depends on ${name}`);
  const version = parent[1].optionalDependencies[name].replace(/^[\^~=]/, '');
  const os = ['darwin', 'win32', 'android', 'freebsd', 'openharmony', 'linux'].find((o) => name.includes(`-${o}-`));
  const cpu = ['arm64', 'x64', 'ia32', 'ppc64', 's390x', 'riscv64', 'loong64', 'arm'].find((c) => name.includes(`-${c}`));
  const entry = { version, cpu: [cpu], os: [os], optional: true };
  if (/musl/.test(name)) entry.libc = ['musl'];
  else if (/-gnu/.test(name) && os === 'linux') entry.libc = ['glibc'];
  lock.packages[key] = entry;
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
fs.writeFileSync('package-lock.json', JSON.stringify(lock, null, 2) + '\n');
