import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogue, detailMessages } from '@crm/server';

/** Every code the API can return is documented in docs/errors.md, with its status. */
describe('error catalogue', () => {
  const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');

  it('documents every top-level code with its HTTP status', () => {
    for (const [code, entry] of Object.entries(catalogue)) {
      const row = doc.split('\n').find((l) => l.includes(`\`${code}\``));
      expect(row, code).toBeDefined();
      expect(row, code).toContain(`| ${entry.status} |`);
    }
  });

  it('documents every detail code', () => {
    for (const code of Object.keys(detailMessages)) expect(doc, code).toContain(`\`${code}\``);
  });

  it('has a zh-CN and an English message for every code', () => {
    for (const [code, m] of Object.entries({ ...catalogue, ...detailMessages })) {
      expect(m['zh-CN'].length, code).toBeGreaterThan(0);
      expect(m.en.length, code).toBeGreaterThan(0);
      expect(/[\u4e00-\u9fff]/.test(m['zh-CN']), `${code} zh-CN`).toBe(true);
    }
  });
});
