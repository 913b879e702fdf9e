import { describe, expect, it } from 'vitest';
import type { Step } from '@crm/metadata';
import { branchIssues, configIssues, issuePlace, newFlow, proposeFlowId, stepIssues, triggerOfKind, withEntity } from './flow-ops.js';
import { changeRows, dryRunRequest, skippedWait } from './dry-run-ops.js';
import { durationText, recordHref, runsQuery } from './runs-ops.js';

const st = (id: string, branches?: Step['branches']): Step => ({ id, kind: branches ? 'branch' : 'notify', config: {}, ...(branches ? { branches } : {}) });
const flow = newFlow('flw_x', { 'zh-CN': 'X' }, { kind: 'record', entity: 'leads', on: ['created'] });
flow.steps = [st('s1'), st('s2', [{ id: 'b1', rule: {}, steps: [st('s3')] }, { id: 'b2', steps: [] }])];
const issue = (pointer: string) => ({ pointer, message: pointer });

describe('flow issues in place', () => {
  const issues = ['/steps/1/config/x', '/steps/1/branches/0/rule', '/steps/1/branches/0/steps/0/config/title', '/steps/1/branches/1', '/trigger/entity', '/steps', '/steps/0/config/values/status'].map(issue);

  it('puts each on its step card, branch column or config control', () => {
    expect(stepIssues(issues, '/steps/1').map((i) => i.pointer)).toEqual(['/steps/1/config/x', '/steps/1/branches/0/rule', '/steps/1/branches/1']);
    expect(stepIssues(issues, '/steps/1/branches/0/steps/0').map((i) => i.pointer)).toEqual(['/steps/1/branches/0/steps/0/config/title']);
    expect(branchIssues(issues, '/steps/1', 0).map((i) => i.pointer)).toEqual(['/steps/1/branches/0/rule']);
    expect(branchIssues(issues, '/steps/1', 1).map((i) => i.pointer)).toEqual(['/steps/1/branches/1']);
    expect(configIssues(issues, '/steps/0', 'values').map((i) => i.pointer)).toEqual(['/steps/0/config/values/status']);
  });

  it('names where each is for the summary', () => {
    expect(issuePlace(flow, '/trigger/entity')).toEqual({ kind: 'trigger' });
    expect(issuePlace(flow, '/steps/1/branches/0/steps/0/config/title')).toEqual({ kind: 'step', id: 's3' });
    expect(issuePlace(flow, '/steps/1/branches/1')).toEqual({ kind: 'step', id: 's2' });
    expect(issuePlace(flow, '/steps/10')).toEqual({ kind: 'flow' });
    expect(issuePlace(flow, '/steps')).toEqual({ kind: 'flow' });
    expect(issuePlace(flow, '/label')).toEqual({ kind: 'flow' });
  });
});

describe('new flows and triggers', () => {
  it('proposes flw_<key>, unique', () => {
    expect(proposeFlowId('xian_suo_gen_jin', new Set())).toBe('flw_xian_suo_gen_jin');
    expect(proposeFlowId('follow_up', new Set(['flw_follow_up', 'flw_follow_up_2']))).toBe('flw_follow_up_3');
  });

  it('switches trigger kinds, keeping the entity and the condition where they still apply', () => {
    const cond = { '==': [{ var: 'source' }, 'website'] };
    expect(triggerOfKind('field_changed', undefined, { kind: 'record', entity: 'leads', on: ['created'], condition: cond }))
      .toEqual({ kind: 'field_changed', entity: 'leads', field: 'owner_id', condition: cond });
    expect(triggerOfKind('record', 'accounts', { kind: 'record', entity: 'leads', on: ['created'], condition: cond })).toEqual({ kind: 'record', entity: 'accounts', on: ['created'] });
    expect(triggerOfKind('schedule', 'leads')).toEqual({ kind: 'schedule', cron: '0 9 * * 1-5' });
    expect(triggerOfKind('webhook', undefined)).toEqual({ kind: 'webhook' });
  });

  it('moves a trigger to another entity, dropping what named the old one\'s fields', () => {
    expect(withEntity({ kind: 'record', entity: 'leads', on: ['updated'], fields: ['status'], condition: { '==': [1, 1] } }, 'accounts')).toEqual({ kind: 'record', entity: 'accounts', on: ['updated'] });
    expect(withEntity({ kind: 'time', entity: 'leads', field: 'owner_assigned_at', offset: { amount: 24, unit: 'hours' }, unlessActivitySince: true }, 'accounts'))
      .toEqual({ kind: 'time', entity: 'accounts', field: 'owner_assigned_at', offset: { amount: 24, unit: 'hours' }, unlessActivitySince: true });
    expect(withEntity({ kind: 'field_changed', entity: 'leads', field: 'status', to: ['working'] }, 'accounts')).toEqual({ kind: 'field_changed', entity: 'accounts', field: 'owner_id' });
    expect(withEntity({ kind: 'webhook', entity: 'leads' }, undefined)).toEqual({ kind: 'webhook' });
  });
});

describe('runs and dry runs', () => {
  it('asks for a dry run of a record with or without a change', () => {
    expect(dryRunRequest({ entity: 'leads', recordId: 'r1' })).toEqual({ entity: 'leads', recordId: 'r1', event: 'updated' });
    expect(dryRunRequest({ entity: 'leads', recordId: 'r1', event: 'created', flow: 'flw_x' })).toEqual({ entity: 'leads', recordId: 'r1', event: 'created', flow: 'flw_x' });
    expect(dryRunRequest({ entity: 'leads', recordId: 'r1', change: { field: 'status', value: 'working' }, event: 'created' }))
      .toEqual({ entity: 'leads', recordId: 'r1', event: 'updated', values: { status: 'working' } });
  });

  it('reads writes and skipped waits as people read them', () => {
    expect(changeRows({ entity: 'leads', id: 'r', action: 'update', changes: { status: { from: null, to: 'working' }, version: { from: 1, to: 2 } } }))
      .toEqual([{ field: 'status', from: null, to: 'working' }]);
    expect(skippedWait({ delayedMs: 3 * 86_400_000 })).toEqual({ amount: 3, unit: 'days' });
    expect(skippedWait({ delayedMs: 90 * 60_000 })).toEqual({ amount: 90, unit: 'minutes' });
    expect(skippedWait({ delayed: { amount: 2, unit: 'hours' } })).toEqual({ amount: 2, unit: 'hours' });
    expect(skippedWait({})).toBeNull();
  });

  it('formats run lists, durations and record links', () => {
    expect(runsQuery({ flow: 'flw_x', limit: 1 })).toBe('?flow=flw_x&limit=1');
    expect(runsQuery({ status: 'failed', cursor: 'abc' })).toBe('?status=failed&cursor=abc');
    expect([durationText(820), durationText(3200), durationText(125_000), durationText(null)]).toEqual(['820 ms', '3.2 s', '2 min 5 s', '—']);
    expect(recordHref('acme', { entity: 'leads', recordId: 'r1' })).toBe('/app/acme/leads/r1');
    expect(recordHref('acme', { entity: null, recordId: null })).toBeNull();
  });
});
