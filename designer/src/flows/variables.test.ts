import { describe, expect, it } from 'vitest';
import { STEP_KINDS, type Step, type Trigger } from '@crm/metadata';
import { insertPlaceholder, STEP_OUTPUTS, templateVars, variablesAt, type EntityLike } from './variables.js';

const leads: EntityLike = {
  key: 'leads', label: { 'zh-CN': '线索', en: 'Lead' }, ownership: 'owned',
  fields: [
    { key: 'name', type: 'text', label: { 'zh-CN': '姓名', en: 'Name' } },
    { key: 'source', type: 'select', label: { 'zh-CN': '来源', en: 'Source' } },
    { key: 'old', type: 'text', label: { en: 'Old' }, archived: true },
    { key: 'account', type: 'relation', label: { 'zh-CN': '客户' }, target: 'accounts' },
  ],
};
const onCreate: Trigger = { kind: 'record', entity: 'leads', on: ['created'] };
const st = (id: string, kind: Step['kind'], branches?: Step['branches']): Step => ({ id, kind, config: {}, ...(branches ? { branches } : {}) });
/** s1 create_record, s2 branch [b1: s3 assign_owner, s4 notify | b2: s5 http_request], s6 loop [b3: s7 update_record], s8 notify */
const steps: Step[] = [
  st('s1', 'create_record'),
  st('s2', 'branch', [{ id: 'b1', rule: {}, steps: [st('s3', 'assign_owner'), st('s4', 'notify')] }, { id: 'b2', steps: [st('s5', 'http_request')] }]),
  st('s6', 'loop', [{ id: 'b3', steps: [st('s7', 'update_record')] }]),
  st('s8', 'notify'),
];
const names = (at: string | null, trigger: Trigger = onCreate) => variablesAt({ trigger, steps }, at, leads).map((v) => v.name);
const stepVars = (at: string) => names(at).filter((n) => n.startsWith('steps.'));

describe('the variable picker', () => {
  it('offers the trigger record, its previous values and who triggered it, live fields only', () => {
    const all = names(null);
    expect(all).toEqual(expect.arrayContaining(['record.name', 'record.source', 'record.account', 'record.id', 'record.owner_id', 'previous.name', '$user.id']));
    expect(all).not.toContain('record.old');
    expect(all.some((n) => n.startsWith('steps.'))).toBe(false);
    const rec = variablesAt({ trigger: onCreate, steps }, null, leads);
    expect(rec.find((v) => v.name === 'record.account')).toMatchObject({ type: 'id', label: ['客户', '客户'] });
  });

  it('offers the outputs of earlier steps only', () => {
    expect(stepVars('s1')).toEqual([]);
    expect(stepVars('s3')).toEqual(['steps.s1.id', 'steps.s2.branch']);
    expect(stepVars('s4')).toEqual(['steps.s1.id', 'steps.s2.branch', 'steps.s3.owner', 'steps.s3.reason']);
    // A sibling branch's steps may not have run.
    expect(stepVars('s5')).toEqual(['steps.s1.id', 'steps.s2.branch']);
    // After the branch, nothing from inside it; a loop's current item only inside its body.
    expect(stepVars('s7')).toEqual(['steps.s1.id', 'steps.s2.branch', 'steps.s6.item', 'steps.s6.index', 'steps.s6.count', 'steps.s6.ids']);
    expect(stepVars('s8')).toEqual(['steps.s1.id', 'steps.s2.branch', 'steps.s6.count', 'steps.s6.ids']);
  });

  it('names step outputs by the step and keeps every output within the var grammar', () => {
    const v = variablesAt({ trigger: onCreate, steps }, 's4', leads).find((x) => x.name === 'steps.s3.owner');
    expect(v).toMatchObject({ group: 'steps', type: 'user', step: { id: 's3', label: ['分配负责人', 'Assign owner'] } });
    for (const kind of STEP_KINDS) for (const o of STEP_OUTPUTS[kind]) expect(o.key, `${kind}.${o.key}`).toMatch(/^[a-z][a-z0-9_]{0,39}$/);
  });

  it('has no record without one, no previous values where nothing changed', () => {
    expect(names(null, { kind: 'schedule', cron: '0 9 * * *' })).toEqual(['$user.id']);
    expect(names(null, { kind: 'webhook' })).toEqual(['$user.id']);
    const manual = names(null, { kind: 'manual', entity: 'leads', button: { 'zh-CN': '转交' } });
    expect(manual).toContain('record.name');
    expect(manual).not.toContain('previous.name');
    expect(names(null, { kind: 'field_changed', entity: 'leads', field: 'source' })).toContain('previous.source');
  });
});

describe('templates', () => {
  it('inserts a placeholder at the cursor and reads the ones a text mentions', () => {
    expect(insertPlaceholder('跟进 ', 'record.name')).toEqual({ text: '跟进 {{record.name}}', cursor: 18 });
    expect(insertPlaceholder('Hi !', 'record.name', 3)).toEqual({ text: 'Hi {{record.name}}!', cursor: 18 });
    expect(templateVars('{{ record.name }} / {{steps.s1.id}}')).toEqual(['record.name', 'steps.s1.id']);
  });
});
