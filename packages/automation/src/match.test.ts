import { describe, expect, it } from 'vitest';
import type { RuleSchema } from '@crm/rules';
import type { Trigger } from '@crm/metadata';
import { matchingFlows, triggerMatches } from './match.js';
import { flow } from './testing.test-data.js';
import type { RecordEvent } from './ports.js';

const stage = { kind: 'text', options: ['initial', 'proposal', 'won'] };
const schema = { vars: { stage, '$previous.stage': stage, amount: { kind: 'decimal' }, owner_id: { kind: 'uuid' } } } as unknown as RuleSchema;
const ctx = { now: new Date('2026-11-23T02:00:00Z'), timeZone: 'Asia/Shanghai', ruleSchema: () => schema };
const ev = (over: Partial<RecordEvent>): RecordEvent => ({
  kind: 'updated', entity: 'opportunities', recordId: 'o1', record: { id: 'o1', stage: 'proposal', amount: '100' }, previous: { stage: 'initial' }, changed: ['stage'], userId: 'u1', chain: [], ...over,
});

describe('trigger matching', () => {
  it('matches record events by entity, kind and changed fields, with the condition on the record and $previous', () => {
    const t: Trigger = { kind: 'record', entity: 'opportunities', on: ['updated'], fields: ['stage'], condition: { '==': [{ var: '$previous.stage' }, 'initial'] } };
    expect(triggerMatches(t, ev({}), ctx)).toBe(true);
    expect(triggerMatches(t, ev({ changed: ['amount'], previous: { amount: '1' } }), ctx)).toBe(false);
    expect(triggerMatches(t, ev({ previous: { stage: 'won' } }), ctx)).toBe(false);
    expect(triggerMatches(t, ev({ kind: 'created' }), ctx)).toBe(false);
    expect(triggerMatches(t, ev({ entity: 'leads' }), ctx)).toBe(false);
  });

  it('matches a field change from and to given values; a create counts as a change from empty', () => {
    const t: Trigger = { kind: 'field_changed', entity: 'opportunities', field: 'stage', from: ['initial'], to: ['proposal'] };
    expect(triggerMatches(t, ev({}), ctx)).toBe(true);
    expect(triggerMatches(t, ev({ previous: { stage: 'won' } }), ctx)).toBe(false);
    expect(triggerMatches(t, ev({ record: { stage: 'won' } }), ctx)).toBe(false);
    const fromNothing: Trigger = { kind: 'field_changed', entity: 'opportunities', field: 'stage', from: [null] };
    expect(triggerMatches(fromNothing, ev({ kind: 'created', previous: {}, changed: ['stage'] }), ctx)).toBe(true);
    expect(triggerMatches(fromNothing, ev({ kind: 'deleted' }), ctx)).toBe(false);
  });

  it('leaves disabled flows and other trigger kinds alone', () => {
    const on = flow([], { id: 'flw_on', trigger: { kind: 'record', entity: 'opportunities', on: ['updated'] } });
    const off = flow([], { id: 'flw_off', enabled: false, trigger: { kind: 'record', entity: 'opportunities', on: ['updated'] } });
    const cron = flow([], { id: 'flw_cron', trigger: { kind: 'schedule', cron: '0 9 * * 1-5' } });
    expect(matchingFlows([on, off, cron], ev({}), ctx).map((f) => f.id)).toEqual(['flw_on']);
  });
});
