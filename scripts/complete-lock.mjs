#!/usr/bin/env node
/**
 * npm run lock:complete — after `npm install` changes package-lock.json.
 * On this platform npm writes lock entries only for the optional native packages that fit the
 * machine (rollup's @rollup/rollup-<os>-<cpu>), while `npm ci` checks that every optional package
 * is in the lock and refuses to install otherwise. This adds the missing entries (version,
 * integrity, os/cpu/libc) from the registry's metadata, so `npm ci` works on a clean machine.
 * The registry reachable here holds only some platforms' builds; for the others the entry gets the
 * platform read from the package's name and no integrity — npm ci never downloads a package whose
 * os/cpu do not match, so it only needs to know the package exists.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const file = 'package-lock.json';
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;
let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${path}/node_modules/${name}`;
    if (packages[nested] || packages[`node_modules/${name}`]) continue;
    const version = range.replace(/^[\^~=]/, '');
    const meta = registryMeta(name, version) ?? { version, ...platformFromName(name) };
    packages[`node_modules/${name}`] = {
      version: meta.version,
      ...(meta['dist.integrity'] ? { integrity: meta['dist.integrity'] } : {}),
      ...(meta.cpu ? { cpu: meta.cpu } : {}),
      license: meta.license,
      ...(meta.libc ? { libc: meta.libc } : {}),
      optional: true,
      ...(meta.os ? { os: meta.os } : {}),
    };
    added++;
  }
}
const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
lock.packages = sorted;
writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log(`${added} optional package entr${added === 1 ? 'y' : 'ies'} added to ${file}`);

function registryMeta(name, version) {
  try {
    const out = execFileSync('npm', ['view', `${name}@${version}`, 'version', 'dist.integrity', 'os', 'cpu', 'libc', 'license', '--json'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return JSON.parse(out);
  } catch {
    return undefined;
  }
}

/** `@rollup/rollup-linux-arm-musleabihf` → os linux, cpu arm, libc musl. */
function platformFromName(name) {
  const parts = name.split('/').pop().split('-').slice(1);
  const [os, cpu, abi = ''] = parts;
  const libc = os === 'linux' ? (abi.startsWith('musl') ? ['musl'] : ['glibc']) : undefined;
  return { os: [os], cpu: [cpu === 'arm' || abi.includes('eabi') ? 'arm' : cpu], ...(libc ? { libc } : {}), license: 'MIT' };
}
