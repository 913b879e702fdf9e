import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { validate, validateDocument } from './index.js';
import { doc, field, smallCrm } from '../fixtures.test-data.js';
import { ruleSchemaFor } from '../rule-schema.js';
import type { MetadataDocument } from '../schemas/documents.js';

function deepFreeze<T>(x: T): T {
  if (x && typeof x === 'object') {
    Object.values(x).forEach(deepFreeze);
    Object.freeze(x);
  }
  return x;
}

const escape = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');
const unescape = (k: string) => k.replace(/~1/g, '/').replace(/~0/g, '~');

/** Every JSON pointer into a value (objects and arrays), the root included. */
function pointers(x: unknown, at = ''): string[] {
  if (!x || typeof x !== 'object') return [at];
  return [at, ...Object.entries(x).flatMap(([k, v]) => pointers(v, `${at}/${escape(k)}`))];
}

function setAt(root: unknown, pointer: string, value: unknown): unknown {
  if (pointer === '') return value;
  const parts = pointer.split('/').slice(1).map(unescape);
  let node = root as Record<string, unknown>;
  for (const p of parts.slice(0, -1)) node = node[p] as Record<string, unknown>;
  node[parts.at(-1)!] = value;
  return root;
}

describe('validate', () => {
  it('finds nothing wrong with a realistic CRM', () => {
    expect(validate(smallCrm())).toEqual([]);
  });

  it('finds nothing wrong with an empty workspace', () => {
    expect(validate([])).toEqual([]);
  });

  it('never changes its input', () => {
    const docs = deepFreeze(smallCrm());
    field(smallCrm(), 'ent_account', 'name'); // the helpers work on fresh copies
    expect(() => validate(docs)).not.toThrow();
    const broken = smallCrm();
    field(broken, 'ent_opportunity', 'amount').scale = 9;
    doc(broken, 'pl_sales').stages[1].key = 'quoted';
    deepFreeze(broken);
    expect(validate(broken).length).toBeGreaterThan(0);
    expect(JSON.stringify(docs)).toBe(JSON.stringify(smallCrm()));
  });

  it('never throws, whatever is put anywhere in the documents', () => {
    const all = smallCrm().flatMap((d, i) => pointers(d.body).map((p) => [i, p] as const));
    fc.assert(
      fc.property(fc.constantFrom(...all), fc.jsonValue(), ([i, pointer], value) => {
        const docs = smallCrm();
        docs[i]!.body = setAt(docs[i]!.body, pointer, value) as Record<string, unknown>;
        const issues = validate(docs);
        for (const issue of issues) {
          expect(issue.code).not.toBe('META_CHECK_FAILED');
          expect(issue.pointer === '' || issue.pointer.startsWith('/')).toBe(true);
          expect(typeof issue.message['zh-CN']).toBe('string');
        }
      }),
      { numRuns: 400 },
    );
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        expect(() => validate(x as MetadataDocument[])).not.toThrow();
        expect(() => validate([x] as MetadataDocument[])).not.toThrow();
        expect(() => validateDocument('entity', x)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('reports issues with their document, a pointer, params and both languages', () => {
    const docs = smallCrm();
    doc(docs, 'ent_account').key = 'select';
    const [issue] = validate(docs).filter((i) => i.code === 'META_KEY_RESERVED');
    expect(issue).toEqual({
      kind: 'entity', id: 'ent_account', pointer: '/key', code: 'META_KEY_RESERVED', params: { key: 'select' }, reference: false,
      message: { 'zh-CN': 'API 名称「select」是数据库保留字，请换一个', en: 'API name "select" is a reserved database word; choose another' },
    });
  });

  it('escapes JSON pointer segments', () => {
    const docs = smallCrm();
    doc(docs, 'rol_rep').permissions['a/b~c'] = { create: true, read: 'own', update: 'own', delete: 'none' };
    expect(validate(docs).map((i) => i.pointer)).toContain('/permissions/a~1b~0c');
  });
});

describe('rules inside documents', () => {
  it('checks entity rules, view filters and gate rules against the entity fields, under their location', () => {
    const docs = smallCrm();
    doc(docs, 'ent_opportunity').rules[0].when = { '==': [{ var: 'stagee' }, 'lost'] };
    doc(docs, 'vw_opp_board').filter = { method: [{ var: 'name' }, 'constructor'] };
    doc(docs, 'pl_sales').stages[4].gate.rule = { '==': [{ var: 'stage' }, 'abandoned'] };
    doc(docs, 'ent_opportunity').rules[2].assert = { '>=': [{ var: 'name' }, 3] };
    const issues = validate(docs);
    expect(issues.map((i) => `${i.code} ${i.kind}/${i.id}${i.pointer}`)).toEqual(expect.arrayContaining([
      'RULE_UNKNOWN_VAR entity/ent_opportunity/rules/0/when/==/0/var',
      'RULE_UNKNOWN_OPERATOR view/vw_opp_board/filter/method',
      'RULE_UNKNOWN_OPTION pipeline/pl_sales/stages/4/gate/rule/==/1',
    ]));
    expect(issues.some((i) => i.kind === 'entity' && i.pointer.startsWith('/rules/2/assert') && i.code.startsWith('RULE_'))).toBe(true);
    const unknownVar = issues.find((i) => i.code === 'RULE_UNKNOWN_VAR')!;
    expect(unknownVar.message['zh-CN']).toContain('stagee');
    expect(unknownVar.message.en).toContain('stagee');
  });

  it('does not let rules read archived fields', () => {
    const docs = smallCrm();
    field(docs, 'ent_account', 'level').archived = true;
    expect(validate(docs).map((i) => `${i.code} ${i.pointer}`)).toContain('RULE_UNKNOWN_VAR /rules/0/when/==/0/var');
  });

  it('counts an unknown var in a view filter as a reference, and a bad operator as the view’s own problem', () => {
    const docs = smallCrm();
    doc(docs, 'vw_my_opps').filter = { and: [{ '==': [{ var: 'region' }, 'east'] }, { eval: ['x'] }] };
    const issues = validate(docs);
    expect(issues.find((i) => i.code === 'RULE_UNKNOWN_VAR')?.reference).toBe(true);
    expect(issues.find((i) => i.code === 'RULE_UNKNOWN_OPERATOR')?.reference).toBe(false);
  });
});

describe('ruleSchemaFor', () => {
  it('gives rules the live filterable fields with their kinds and options, and the system variables', () => {
    const opportunities = doc(smallCrm(), 'ent_opportunity') as Parameters<typeof ruleSchemaFor>[0];
    const { vars } = ruleSchemaFor(opportunities);
    expect(vars.stage).toEqual({ kind: 'text', options: ['initial', 'proposal', 'negotiation', 'won', 'lost'] });
    expect(vars.amount).toEqual({ kind: 'decimal' });
    expect(vars.account).toEqual({ kind: 'uuid' });
    expect(vars.weighted).toEqual({ kind: 'decimal' });
    expect(vars.account_level).toBeUndefined(); // lookups are not stored
    expect(vars.owner_id).toEqual({ kind: 'uuid' });
    expect(vars.last_activity_at).toEqual({ kind: 'datetime' });
    expect(vars['$user.id']).toEqual({ kind: 'uuid' });
    expect(vars['$now']).toEqual({ kind: 'datetime' });
    expect(vars['$previous.stage']).toBeUndefined();
    expect(ruleSchemaFor(opportunities, { previous: true }).vars['$previous.stage']).toEqual(vars.stage);
    const accounts = ruleSchemaFor(doc(smallCrm(), 'ent_account') as Parameters<typeof ruleSchemaFor>[0]).vars;
    expect(accounts.tags).toEqual({ kind: 'textArray', options: ['hot', 'government'] });
    expect(accounts.level!.options).toContain('c'); // deactivated options stay readable: records may hold them
    expect(accounts.fax).toBeUndefined(); // archived
    expect(accounts.address).toBeUndefined();
    const lines = ruleSchemaFor(doc(smallCrm(), 'ent_quote_line') as Parameters<typeof ruleSchemaFor>[0]).vars;
    expect(lines.owner_id).toBeUndefined(); // ownership: none
  });
});
