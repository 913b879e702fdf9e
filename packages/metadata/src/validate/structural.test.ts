import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { validate, validateDocument } from './index.js';
import { doc, field, smallCrm } from '../fixtures.test-data.js';
import { DOCUMENT_KINDS, schemas } from '../schemas/documents.js';
import type { MetadataDocument } from '../schemas/documents.js';

const found = (docs: MetadataDocument[]) => validate(docs).map((i) => `${i.code} ${i.kind}/${i.id}${i.pointer}`);
const mutated = (change: (docs: MetadataDocument[]) => void) => {
  const docs = smallCrm();
  change(docs);
  return found(docs);
};
const bodyOf = (id: string) => smallCrm().find((d) => d.id === id)!.body;

describe('structure', () => {
  it('accepts every document of the fixture on its own', () => {
    for (const d of smallCrm()) expect(validateDocument(d.kind, d.body, d.id)).toEqual([]);
  });

  it('reports every problem of a document, not just the first', () => {
    const issues = mutated((d) => {
      delete doc(d, 'ent_account').titleField;
      doc(d, 'ent_account').colour = 'red';
      field(d, 'ent_account', 'name').required = 'yes';
      doc(d, 'ent_account').ownership = 'shared';
    });
    expect(issues).toEqual(expect.arrayContaining([
      'META_REQUIRED entity/ent_account/titleField',
      'META_UNKNOWN_PROPERTY entity/ent_account/colour',
      'META_WRONG_TYPE entity/ent_account/fields/0/required',
      'META_NOT_ALLOWED_VALUE entity/ent_account/ownership',
    ]));
  });

  it("checks each field against its own type's schema, naming only the setting at fault", () => {
    const docs = smallCrm();
    field(docs, 'ent_opportunity', 'amount').scale = 9;
    field(docs, 'ent_opportunity', 'name').options = [];
    delete field(docs, 'ent_opportunity', 'account').target;
    const issues = found(docs).filter((i) => i.startsWith('META_') && i.includes('entity/ent_opportunity/fields'));
    expect(issues.sort()).toEqual([
      'META_OUT_OF_RANGE entity/ent_opportunity/fields/2/scale',
      'META_REQUIRED entity/ent_opportunity/fields/1/target',
      'META_UNKNOWN_PROPERTY entity/ent_opportunity/fields/0/options',
    ]);
  });

  it('checks layout items and entity rules on the branch their kind names', () => {
    const issues = mutated((d) => {
      doc(d, 'lay_opportunity').tabs[0].sections[0].items[0] = { kind: 'field', field: 'name', spn: 2 };
      doc(d, 'lay_opportunity').tabs[0].sections[0].items[1] = { kind: 'relatedList', entity: 'quotes' };
      doc(d, 'ent_opportunity').rules[0] = { id: 'rul_loss', kind: 'requiredIf', when: { '==': [{ var: 'stage' }, 'lost'] }, message: { en: 'x' } };
    });
    expect(issues).toEqual(expect.arrayContaining([
      'META_UNKNOWN_PROPERTY layout/lay_opportunity/tabs/0/sections/0/items/0/spn',
      'META_REQUIRED layout/lay_opportunity/tabs/0/sections/0/items/1/field',
      'META_REQUIRED entity/ent_opportunity/rules/0/field',
      'META_UNKNOWN_PROPERTY entity/ent_opportunity/rules/0/message',
    ]));
    expect(issues.filter((i) => i.includes('items/0/'))).toEqual(['META_UNKNOWN_PROPERTY layout/lay_opportunity/tabs/0/sections/0/items/0/spn']);
  });

  it('explains a bad tag by the values it may take', () => {
    const layout = structuredClone(bodyOf('lay_opportunity')) as { tabs: { sections: { items: unknown[] }[] }[] };
    layout.tabs[0]!.sections[0]!.items[0] = { kind: 'chart' };
    expect(validateDocument('layout', layout).map((i) => [i.code, i.pointer, i.params])).toEqual([
      ['META_NOT_ALLOWED_VALUE', '/tabs/0/sections/0/items/0/kind', { allowed: ['field', 'relatedList', 'help'] }],
    ]);
  });

  it('reads the pipeline transitions union by the shape of the value', () => {
    const t = (transitions: unknown) => validateDocument('pipeline', { ...bodyOf('pl_sales'), transitions }).map((i) => `${i.code} ${i.pointer}`);
    expect(t('sometimes')).toEqual(['META_NOT_ALLOWED_VALUE /transitions']);
    expect(t(7)).toEqual(['META_WRONG_TYPE /transitions']);
    expect(t([{ from: 'initial' }])).toEqual(['META_REQUIRED /transitions/0/to']);
    expect(t([{ from: 'initial', to: ['proposal'] }])).toEqual([]);
  });

  it('gives examples for formats and limits for ranges', () => {
    const entity = structuredClone(bodyOf('ent_quote')) as { fields: Record<string, unknown>[] };
    entity.fields[0]!.pattern = 'QT-{YYYY}';
    const [issue] = validateDocument('entity', entity);
    expect(issue).toMatchObject({ code: 'META_BAD_FORMAT', pointer: '/fields/0/pattern', params: { example: 'CT-{YYYY}-{0000}' } });
    const pipeline = { ...bodyOf('pl_sales'), stages: (bodyOf('pl_sales').stages as object[]).map((s, i) => (i === 0 ? { ...s, probability: 120 } : s)) };
    expect(validateDocument('pipeline', pipeline)[0]).toMatchObject({ code: 'META_OUT_OF_RANGE', pointer: '/stages/0/probability', params: { comparison: '<=', limit: 100 } });
  });

  it('asks for at least one language in a label', () => {
    const issues = validateDocument('entity', { ...bodyOf('ent_account'), label: {} });
    expect(issues.map((i) => `${i.code} ${i.pointer}`)).toEqual(['META_REQUIRED /label']);
  });

  it('refuses keys of permission maps that are not keys', () => {
    const role = structuredClone(bodyOf('rol_rep')) as { permissions: Record<string, unknown> };
    role.permissions['Accounts'] = { create: true, read: 'own', update: 'own', delete: 'none' };
    expect(validateDocument('role', role).map((i) => `${i.code} ${i.pointer}`)).toEqual(['META_KEY_FORMAT /permissions/Accounts']);
  });

  it('refuses unknown kinds, non-objects and documents from a newer version', () => {
    expect(validateDocument('widget', {}).map((i) => i.code)).toEqual(['META_UNKNOWN_KIND']);
    expect(validateDocument('entity', [1, 2]).map((i) => i.code)).toEqual(['META_NOT_OBJECT']);
    expect(validateDocument('entity', null).map((i) => i.code)).toEqual(['META_NOT_OBJECT']);
    expect(validateDocument('entity', { ...bodyOf('ent_account'), schemaVersion: 2 }).map((i) => `${i.code} ${i.pointer}`)).toEqual(['META_SCHEMA_VERSION /schemaVersion']);
  });

  it('keeps checking an entity whose fields fail their schema, without cascading', () => {
    const issues = mutated((d) => {
      field(d, 'ent_opportunity', 'amount').scale = 9;
      field(d, 'ent_opportunity', 'name').maxLength = 5000;
      field(d, 'ent_opportunity', 'size_label').key = 'select';
    });
    // The other checks of the entity still run, and the rules, views, layouts
    // and gates that read `amount` or `name` do not call them unknown.
    expect(issues.sort()).toEqual([
      'META_KEY_RESERVED entity/ent_opportunity/fields/8/key',
      'META_OUT_OF_RANGE entity/ent_opportunity/fields/0/maxLength',
      'META_OUT_OF_RANGE entity/ent_opportunity/fields/2/scale',
    ]);
  });

  it('does not call an entity unknown when it only failed its structure', () => {
    const issues = mutated((d) => { doc(d, 'ent_account').icon = 42; });
    expect(issues).toEqual(['META_WRONG_TYPE entity/ent_account/icon']);
  });

  it('exports JSON Schemas that any ajv with discriminators can compile', () => {
    const other = new Ajv({ discriminator: true, strict: false, allErrors: true });
    other.addFormat('date', true).addFormat('date-time', true).addFormat('uuid', true).addFormat('email', true);
    for (const kind of DOCUMENT_KINDS) {
      const v = other.compile(schemas[kind]);
      for (const d of smallCrm().filter((x) => x.kind === kind)) expect(v(d.body), `${kind} ${JSON.stringify(v.errors)}`).toBe(true);
    }
    const fields = (schemas.entity.properties.fields as unknown as { items: { oneOf: unknown[]; discriminator: unknown } }).items;
    expect(fields.discriminator).toEqual({ propertyName: 'type' });
    expect(fields.oneOf).toHaveLength(23);
  });
});
