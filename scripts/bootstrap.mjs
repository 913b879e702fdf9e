#!/usr/bin/env node
// The two commands, needing nothing but Node.js and npm:
//   npm start  -> install (when the lockfile changed), build, start the server
//   npm test   -> install, build, run the whole suite
// Dependency-free on purpose: it runs before anything is installed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM = ['-y', 'pnpm@10.34.9'];
const mode = process.argv[2] ?? 'start';
const extra = process.argv.slice(3);

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`Node.js >= 20.19 is required (this is ${process.versions.node}).`);
  process.exit(1);
}

function run(cmd, args, opts = {}) {
  const t = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, npm_config_update_notifier: 'false' }, ...opts });
  if (r.status !== 0) process.exit(r.status ?? 1);
  return Date.now() - t;
}

const phase = (name, ms) => console.log(`[bootstrap] ${name}: ${(ms / 1000).toFixed(1)} s`);

// Install when the lockfile (or the manifests) changed since the last install.
const stampFile = join(root, 'node_modules', '.bootstrap-stamp');
const fingerprint = createHash('sha256')
  .update(readFileSync(join(root, 'pnpm-lock.yaml')))
  .update(readFileSync(join(root, 'package.json')))
  .digest('hex');
if (!existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== fingerprint) {
  phase('install', run('npx', [...PNPM, 'install', '--frozen-lockfile', '--config.engine-strict=true']));
  writeFileSync(stampFile, fingerprint);
}

// tsc -b is incremental: a second start rebuilds nothing.
phase('build', run('npx', ['tsc', '-b', 'tsconfig.build.json']));
phase('build apps', run('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: join(root, 'runtime') }) + run('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: join(root, 'designer') }));

if (mode === 'start') {
  const r = spawnSync(process.execPath, ['server/dist/main.js', ...extra], { cwd: root, stdio: 'inherit' });
  process.exit(r.status ?? 0);
} else if (mode === 'test') {
  phase('typecheck tests and app', run('npx', ['tsc', '-p', 'tests/tsconfig.json', '--noEmit']) + run('npx', ['tsc', '-p', 'runtime/tsconfig.json']) + run('npx', ['tsc', '-p', 'designer/tsconfig.json']));
  phase('unit + integration tests', run('npx', ['vitest', 'run', ...extra]));
} else if (mode === 'bench') {
  phase('bench: records API', run(process.execPath, ['tests/bench/run.mjs', ...extra]));
  phase('bench: runtime in Chromium', run(process.execPath, ['tests/bench/browser.mjs']));
  phase('bench: automations', run(process.execPath, ['tests/bench/automation.mjs']));
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
