import { describe, expect, it } from 'vitest';
import { STEP_KINDS, validate, type MetadataDocument, type Step } from '@crm/metadata';
import { CHOICE_LABELS, configLabel, controlsForStep, visibleControls } from './config-form.js';
import { newStep, type StepContext } from './step-defaults.js';
import { STEP_INFO } from './step-kinds.js';

// The designer compiles without Node's types (it runs in the browser); its tests run on Node.
const { readdirSync, readFileSync } = (await import(`node:${'fs'}`)) as { readdirSync(p: URL): string[]; readFileSync(p: URL, enc: 'utf8'): string };

/** The default CRM's documents, as the designer's draft holds them. */
function defaultCrm(): MetadataDocument[] {
  const root = new URL('../../../templates/default-crm/documents/', import.meta.url);
  return readdirSync(root).flatMap((kind) => readdirSync(new URL(`${kind}/`, root)).map((file) => {
    const body = JSON.parse(readFileSync(new URL(`${kind}/${file}`, root), 'utf8'));
    return { kind, id: body.id, body } as MetadataDocument;
  }));
}

describe('step config panels generated from the config schemas', () => {
  it('gives every setting of every kind a control, a name, and names for its choices', () => {
    for (const kind of STEP_KINDS) {
      expect(STEP_INFO[kind].name[0], kind).toBeTruthy();
      for (const c of controlsForStep(kind)) {
        expect(configLabel(kind, c.name), `${kind}.${c.name}`).toBeDefined();
        if (c.kind === 'choice') for (const x of c.choices) expect(CHOICE_LABELS[x], `${kind}.${c.name}=${x}`).toBeDefined();
      }
    }
  });

  it('reads each control from the shape of its schema', () => {
    const kinds = (k: (typeof STEP_KINDS)[number]) => Object.fromEntries(controlsForStep(k).map((c) => [c.name, c.kind]));
    expect(kinds('update_record')).toEqual({ record: 'recordRef', entity: 'entity', values: 'values' });
    expect(kinds('create_task')).toEqual({ entity: 'entity', title: 'template', assignee: 'recipient', due: 'duration', notes: 'template' });
    expect(kinds('create_activity')).toEqual({ entity: 'entity', activityType: 'activityType', subject: 'template', notes: 'template' });
    expect(kinds('assign_owner')).toEqual({ strategy: 'choice', team: 'team', field: 'field', map: 'memberMap', fallback: 'member', reason: 'label' });
    expect(kinds('send_email')).toEqual({ to: 'recipients', subject: 'template', body: 'template' });
    expect(kinds('http_request')).toEqual({ method: 'choice', url: 'template', headers: 'headers', body: 'values', sign: 'boolean' });
    expect(kinds('wait_until')).toEqual({ at: 'value' });
    expect(kinds('wait_for')).toEqual({ rule: 'rule', timeout: 'duration' });
    expect(kinds('loop')).toEqual({ entity: 'entity', field: 'field', filter: 'rule', max: 'integer' });
    expect(kinds('call_flow')).toEqual({ flow: 'flow' });
    expect(kinds('find_duplicate')).toEqual({ fields: 'fields', openOnly: 'boolean', link: 'field', onFound: 'choice' });
    expect(kinds('branch')).toEqual({});
    expect(controlsForStep('send_email').find((c) => c.name === 'body')).toMatchObject({ kind: 'template', multiline: true, required: true });
    expect(controlsForStep('notify').find((c) => c.name === 'title')).toMatchObject({ kind: 'template', multiline: false, maxLength: 200 });
    expect(controlsForStep('loop').find((c) => c.name === 'max')).toEqual({ name: 'max', kind: 'integer', min: 1, max: 500, required: true });
  });

  it('shows settings only where they apply', () => {
    expect(visibleControls('assign_owner', { strategy: 'round_robin' }).map((c) => c.name)).toEqual(['strategy', 'team', 'field', 'reason']);
    expect(visibleControls('assign_owner', { strategy: 'field_map' }).map((c) => c.name)).toEqual(['strategy', 'field', 'map', 'fallback', 'reason']);
    expect(visibleControls('http_request', { method: 'GET' }).map((c) => c.name)).toEqual(['method', 'url', 'headers']);
  });
});

describe('new steps', () => {
  const docs = defaultCrm();
  const entities = docs.filter((d) => d.kind === 'entity').map((d) => d.body as never as StepContext['entities'][number]);
  const leads = entities.find((e) => e.key === 'leads')!;
  const ctx: StepContext = { lang: 'zh-CN', entity: leads, entities, flows: ['flw_other'], teams: ['华东销售'] };

  it('start with a config the validator accepts, for every kind, in a flow on leads', () => {
    const taken = new Set<string>();
    const steps: Step[] = STEP_KINDS.map((k) => newStep(k, taken, ctx));
    const other = { kind: 'flow', id: 'flw_other', body: { id: 'flw_other', schemaVersion: 1, label: { en: 'Other' }, enabled: true, trigger: { kind: 'record', entity: 'leads', on: ['created'] }, steps: [{ id: 's1', kind: 'move_to_pool', config: {} }] } };
    const flow = { kind: 'flow', id: 'flw_all', body: { id: 'flw_all', schemaVersion: 1, label: { en: 'All kinds' }, enabled: true, trigger: { kind: 'record', entity: 'leads', on: ['created', 'updated'] }, steps } };
    const issues = validate([...docs, other, flow] as MetadataDocument[]).filter((i) => i.kind === 'flow').map((i) => `${i.code} ${i.pointer}`);
    expect(issues).toEqual([]);
    expect(steps.map((s) => s.id)).toEqual(STEP_KINDS.map((_, i) => `s${i + 1}`));
    expect(steps.find((s) => s.kind === 'branch')!.branches!.map((b) => [b.id, b.rule !== undefined])).toEqual([['b1', true], ['b2', false]]);
    expect(steps.find((s) => s.kind === 'loop')!.config).toMatchObject({ entity: expect.any(String), field: expect.any(String), max: 100 });
  });

  it('start valid in a scheduled flow, which has no record', () => {
    const taken = new Set<string>();
    const kinds = STEP_KINDS.filter((k) => !['update_record', 'assign_owner', 'move_to_pool', 'loop', 'create_task', 'create_activity', 'call_flow', 'find_duplicate'].includes(k));
    const steps = kinds.map((k) => newStep(k, taken, { ...ctx, entity: undefined }));
    const flow = { kind: 'flow', id: 'flw_daily', body: { id: 'flw_daily', schemaVersion: 1, label: { en: 'Daily' }, enabled: true, trigger: { kind: 'schedule', cron: '0 9 * * 1-5' }, steps } };
    expect(validate([...docs, flow] as MetadataDocument[]).filter((i) => i.kind === 'flow').map((i) => `${i.code} ${i.pointer}`)).toEqual([]);
  });
});
