import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The import arrows of ARCHITECTURE.md: engines never reach into the server, and each package only into what it may use. */
const root = new URL('..', import.meta.url).pathname;
const allowed: Record<string, string[]> = {
  'packages/rules': [],
  'packages/metadata': ['@crm/rules'],
  'packages/query': ['@crm/rules', '@crm/metadata'],
  'packages/ddl': ['@crm/metadata', '@crm/rules'],
  'packages/automation': ['@crm/metadata', '@crm/rules'],
  migrations: [],
  server: ['@crm/rules', '@crm/metadata', '@crm/query', '@crm/ddl', '@crm/automation', '@crm/migrations'],
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [p] : [];
  });
}

describe('architecture', () => {
  it.each(Object.entries(allowed))('%s imports only what it may', (pkg, may) => {
    const offenders: string[] = [];
    for (const file of sources(join(root, pkg, 'src'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/from '(@crm\/[a-z-]+)/g)) {
        if (!may.includes(m[1]!)) offenders.push(`${file.slice(root.length)} -> ${m[1]}`);
      }
      if (/from '\.\.\/\.\.\/(server|designer|runtime)\//.test(readFileSync(file, 'utf8'))) offenders.push(`${file} reaches into an app`);
    }
    expect(offenders).toEqual([]);
  });
});
