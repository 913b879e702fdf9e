#!/usr/bin/env node
// Writes docs/errors.md from the error catalogue (after `npm run build`).
// The error-catalogue test fails when a code is missing from the page, so a new
// code means running this and reviewing the diff.
import { writeFileSync } from 'node:fs';
const { catalogue, detailMessages } = await import('../server/dist/index.js');

const esc = (s) => s.replaceAll('|', '\\|');
const lines = [
  '# Error codes',
  '',
  'Every error the API returns has this body (CONVENTIONS.md §3), with `message` in the',
  "request's `Accept-Language` (zh-CN by default, `en`):",
  '',
  '```json',
  '{ "code": "CRM_ERR_INVALID_DOCUMENT", "message": "…", "details": [{ "pointer": "/entity/ent_account/fields/3/key", "code": "META_KEY_RESERVED", "message": "…" }] }',
  '```',
  '',
  '## Top-level codes',
  '',
  '| code | HTTP | zh-CN | en |',
  '|---|---|---|---|',
  ...Object.entries(catalogue).map(([code, e]) => `| \`${code}\` | ${e.status} | ${esc(e['zh-CN'])} | ${esc(e.en)} |`),
  '',
  '## Detail codes',
  '',
  'Inside `details[]`, each addressed by a JSON pointer. `{name}` is filled from the detail\'s `params`.',
  '',
  '| code | zh-CN | en |',
  '|---|---|---|',
  ...Object.entries(detailMessages).map(([code, m]) => `| \`${code}\` | ${esc(m['zh-CN'])} | ${esc(m.en)} |`),
  '',
];
writeFileSync(new URL('../docs/errors.md', import.meta.url), lines.join('\n'));
console.log(`docs/errors.md: ${Object.keys(catalogue).length} codes, ${Object.keys(detailMessages).length} detail codes`);
