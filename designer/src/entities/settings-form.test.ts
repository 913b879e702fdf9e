import { describe, expect, it } from 'vitest';
import { FIELD_TYPES } from '@crm/metadata';
import { SETTING_LABELS, controlsFor } from './settings-form.js';

describe('settings panels generated from the field-type registry', () => {
  it('gives every setting of every type a control and a label', () => {
    for (const t of FIELD_TYPES) {
      for (const c of controlsFor(t)) expect(SETTING_LABELS[c.name], `${t}.${c.name}`).toBeDefined();
    }
  });

  it('derives control kinds and bounds from the schema', () => {
    expect(controlsFor('decimal')).toEqual([
      { name: 'precision', kind: 'integer', min: 1, max: 38, required: false },
      { name: 'scale', kind: 'integer', min: 0, max: 10, required: false },
    ]);
    expect(controlsFor('relation')).toEqual([
      { name: 'target', kind: 'entity', required: true },
      { name: 'onDelete', kind: 'choice', choices: ['restrict', 'cascade', 'keep'], required: true },
    ]);
    expect(controlsFor('formula').map((c) => c.kind)).toEqual(['formula', 'choice', 'integer']);
    expect(controlsFor('file').find((c) => c.name === 'accept')!.kind).toBe('tags');
    expect(controlsFor('autonumber')[0]).toMatchObject({ name: 'pattern', kind: 'text', required: true });
  });
});
