import { describe, expect, it } from 'vitest';
import { executeRun, stepAtKey } from './executor.js';
import { MAX_CHAIN_DEPTH } from './match.js';
import { flow, memoryWorld, runOf } from './testing.test-data.js';
import type { Step } from '@crm/metadata';

const lead = { id: 'l1', version: 1, name: '陈静', status: 'new', amount: '5000', owner_id: 'u_zhang', email: 'chen@example.com' };
const update = (id: string, values: Record<string, unknown>): Step => ({ id, kind: 'update_record', config: { values } });

describe('executeRun', () => {
  it('runs steps in order, each write with its completion, and replays done steps instead of repeating them', async () => {
    const w = memoryWorld();
    w.put('leads', { ...lead });
    const f = flow([
      update('s1', { status: 'working' }),
      { id: 's2', kind: 'notify', config: { to: ['owner'], title: '新线索 {{record.name}}' } },
      { id: 's3', kind: 'send_email', config: { to: [{ var: 'record.email' }], subject: 'Hi {{record.name}}', body: '<b>{{record.name}}</b>' } },
    ]);
    expect(await executeRun(runOf(f), w.ports)).toEqual({ status: 'completed' });
    expect(w.records.get('leads:l1')).toMatchObject({ status: 'working', version: 2 });
    expect(w.notes).toEqual([expect.objectContaining({ users: ['u_zhang'], title: '新线索 陈静', key: 'run1.s2' })]);
    expect(w.mails).toEqual([expect.objectContaining({ to: ['chen@example.com'], messageId: '<run1.s3@ws>', html: '<b>陈静</b>' })]);

    // Run again (a retried job): nothing happens twice.
    expect(await executeRun(runOf(f), w.ports)).toEqual({ status: 'completed' });
    expect(w.records.get('leads:l1')!.version).toBe(2);
    expect(w.notes).toHaveLength(1);
    expect(w.mails).toHaveLength(1);
  });

  it('resumes after a failure at the step that failed: the writes before it are not repeated, the failed one left nothing', async () => {
    const w = memoryWorld();
    w.put('leads', { ...lead });
    // A pure step between the two writes: they are two transactions.
    const f = flow([update('s1', { status: 'working' }), { id: 'c', kind: 'condition', config: { rule: { '==': [{ var: 'status' }, 'working'] } } }, { id: 's2', kind: 'notify', config: { to: ['owner'], title: 'x' } }]);
    // s1 goes through; s2's transaction fails (the database went away).
    let calls = 0;
    const atomically = w.ports.atomically;
    w.ports.atomically = async (...args) => {
      if (++calls === 2) throw Object.assign(new Error('connection terminated'), { code: '57P01' });
      return atomically(...args);
    };
    await expect(executeRun(runOf(f), w.ports)).rejects.toThrow('connection terminated');
    expect(w.notes).toHaveLength(0);
    expect([...w.log('run1').keys()]).toEqual(['s1', 'c']);
    w.ports.atomically = atomically;
    expect(await executeRun(runOf(f), w.ports)).toEqual({ status: 'completed' });
    expect(w.records.get('leads:l1')!.version).toBe(2);
    expect(w.notes).toHaveLength(1);
  });

  it('runs consecutive writing steps in one transaction: one failing leaves none of them, the retry does each once', async () => {
    const w = memoryWorld();
    w.put('leads', { ...lead });
    const f = flow([update('s1', { status: 'working' }), { id: 's2', kind: 'notify', config: { to: ['owner'], title: '跟进 {{record.status}}' } }]);
    let groups = 0;
    const many = w.ports.atomicallyMany!;
    w.ports.atomicallyMany = async (...args) => { groups++; return many(...args); };
    w.failNextWrite(Object.assign(new Error('connection terminated'), { code: '57P01' }));
    await expect(executeRun(runOf(f), w.ports)).rejects.toThrow('connection terminated');
    expect([...w.log('run1').keys()]).toEqual([]);
    expect(w.records.get('leads:l1')!.version).toBe(1);
    expect(await executeRun(runOf(f), w.ports)).toEqual({ status: 'completed' });
    expect(groups).toBe(2);
    expect(w.records.get('leads:l1')!.version).toBe(2);
    // The second step of the group read the record as the first left it.
    expect(w.notes).toEqual([expect.objectContaining({ title: '跟进 working' })]);
  });

  it('stops at a condition that does not hold, and takes the first branch whose rule holds (replayed the same way)', async () => {
    const w = memoryWorld();
    w.put('leads', { ...lead, amount: '120000' });
    const f = flow([
      {
        id: 'b1', kind: 'branch', config: {}, branches: [
          { id: 'big', rule: { '>=': [{ var: 'amount' }, '100000'] }, steps: [update('s_big', { status: 'working' })] },
          { id: 'rest', steps: [update('s_rest', { status: 'nurturing' })] },
        ],
      },
      { id: 'c1', kind: 'condition', config: { rule: { '==': [{ var: 'status' }, 'new'] } } },
      update('never', { name: 'never' }),
    ]);
    expect(await executeRun(runOf(f), w.ports)).toEqual({ status: 'stopped', key: 'c1' });
    expect(w.records.get('leads:l1')).toMatchObject({ status: 'working', name: '陈静' });
    expect([...w.log('run1').keys()]).toEqual(['b1', 'b1/big/s_big', 'c1']);
    // The amount changes; a replay still follows the branch it took.
    w.records.get('leads:l1')!.amount = '10';
    expect(await executeRun(runOf(f), w.ports)).toEqual({ status: 'stopped', key: 'c1' });
    expect(w.log('run1').has('b1/rest/s_rest')).toBe(false);
  });

  it('loops over related records with a key per item, and the item in scope', async () => {
    const w = memoryWorld();
    w.put('leads', { ...lead });
    for (const id of ['c1', 'c2', 'c3']) w.put('contacts', { id, version: 1, lead: 'l1', name: id });
    const f = flow([{
      id: 'each', kind: 'loop', config: { entity: 'contacts', field: 'lead', max: 10 },
      branches: [{ id: 'body', steps: [{ id: 'touch', kind: 'update_record', config: { entity: 'contacts', record: { var: 'steps.each.item' }, values: { name: { template: '已通知 {{record.name}}' } } } }] }],
    }]);
    expect(await executeRun(runOf(f), w.ports)).toEqual({ status: 'completed' });
    expect([...w.log('run1').keys()]).toEqual(['each', 'each[0]/touch', 'each[1]/touch', 'each[2]/touch']);
    expect(['c1', 'c2', 'c3'].map((id) => w.records.get(`contacts:${id}`)!.name)).toEqual(Array(3).fill('已通知 陈静'));
    expect(stepAtKey(f.steps, 'each[2]/touch')?.kind).toBe('update_record');
  });

  it('waits on a delay without running the next step, then continues once the clock has passed', async () => {
    const w = memoryWorld();
    w.put('leads', { ...lead });
    const f = flow([{ id: 'd', kind: 'delay', config: { for: { amount: 2, unit: 'hours' } } }, update('after', { status: 'nurturing' })]);
    const first = await executeRun(runOf(f), w.ports);
    expect(first).toMatchObject({ status: 'waiting', key: 'd' });
    expect((first as { until: Date }).until.toISOString()).toBe('2026-11-23T04:00:00.000Z');
    w.advance(60 * 60_000);
    expect(await executeRun(runOf(f), w.ports)).toMatchObject({ status: 'waiting', key: 'd' });
    w.advance(60 * 60_000);
    expect(await executeRun(runOf(f), w.ports)).toEqual({ status: 'completed' });
    expect(w.records.get('leads:l1')!.status).toBe('nurturing');
  });

  it('re-checks wait_for until its rule holds or the timeout passes', async () => {
    const w = memoryWorld();
    w.put('leads', { ...lead });
    const f = flow([{ id: 'w', kind: 'wait_for', config: { rule: { '==': [{ var: 'status' }, 'working'] }, timeout: { amount: 1, unit: 'hours' } } }]);
    expect(await executeRun(runOf(f), w.ports)).toMatchObject({ status: 'waiting' });
    w.advance(5 * 60_000);
    w.records.get('leads:l1')!.status = 'working';
    expect(await executeRun(runOf(f), w.ports)).toEqual({ status: 'completed' });
    expect(w.log('run1').get('w')!.output).toEqual({ timedOut: false });

    const w2 = memoryWorld();
    w2.put('leads', { ...lead });
    expect(await executeRun(runOf(f), w2.ports)).toMatchObject({ status: 'waiting' });
    for (let i = 0; i < 12; i++) { w2.advance(5 * 60_000); await executeRun(runOf(f), w2.ports); }
    expect(w2.log('run1').get('w')).toMatchObject({ status: 'done', output: { timedOut: true } });
  });

  it('sends an HTTP step with the idempotency key of its run and step; 4xx is final, 5xx retryable', async () => {
    const w = memoryWorld();
    w.put('leads', { ...lead });
    const f = flow([{ id: 'h', kind: 'http_request', config: { method: 'POST', url: 'https://erp.example.com/leads/{{record.id}}', body: { name: { var: 'record.name' } }, sign: true } }]);
    w.http(503);
    const r1 = await executeRun(runOf(f), w.ports);
    expect(r1).toMatchObject({ status: 'failed', key: 'h', error: { code: 'http_5xx', retry: true } });
    w.http(422);
    const r2 = await executeRun(runOf(f), w.ports);
    expect(r2).toMatchObject({ status: 'failed', error: { code: 'http_4xx', retry: false } });
    w.http(200);
    expect(await executeRun(runOf(f), w.ports)).toEqual({ status: 'completed' });
    expect(w.requests.map((r) => (r.headers as Record<string, string>)['Idempotency-Key'])).toEqual(['run1.h', 'run1.h', 'run1.h']);
    expect(w.requests[0]).toMatchObject({ url: 'https://erp.example.com/leads/l1', body: '{"name":"陈静"}' });
    expect((w.requests[0]!.headers as Record<string, string>)['X-CRM-Signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it('refuses a write that would start the chain again past the depth limit, leaving nothing of it', async () => {
    const w = memoryWorld();
    const self = flow([update('again', { name: { template: '{{record.name}}+' } })], { trigger: { kind: 'record', entity: 'leads', on: ['updated'] } });
    w.ports.triggered = () => [self];
    w.put('leads', { ...lead });
    const deep = runOf(self, { chain: Array(MAX_CHAIN_DEPTH - 1).fill('flw_t') });
    expect(await executeRun(deep, w.ports)).toMatchObject({ status: 'failed', key: 'again', error: { code: 'loop_detected', retry: false } });
    expect(w.records.get('leads:l1')!.name).toBe('陈静');
    expect(await executeRun(runOf(self, { id: 'run2', chain: ['flw_t'] }), w.ports)).toEqual({ status: 'completed' });
    expect(w.records.get('leads:l1')!.name).toBe('陈静+');
  });

  it('stops a run that goes past its step budget', async () => {
    const w = memoryWorld();
    w.put('leads', { ...lead });
    const f = flow(Array.from({ length: 5 }, (_, i) => ({ id: `c${i}`, kind: 'condition' as const, config: { rule: { '==': [{ var: 'status' }, 'new'] } } })));
    const r = await executeRun(runOf(f), w.ports, { maxSteps: 3, maxWrites: 10, maxMs: 60_000 });
    expect(r).toMatchObject({ status: 'failed', key: 'c3', error: { code: 'budget_exceeded' } });
  });

  it('fails for good (not retried) on a rule the published schema no longer accepts', async () => {
    const w = memoryWorld();
    w.put('leads', { ...lead });
    const f = flow([{ id: 'c', kind: 'condition', config: { rule: { '==': [{ var: 'gone_field' }, 'x'] } } }]);
    expect(await executeRun(runOf(f), w.ports)).toMatchObject({ status: 'failed', key: 'c', error: { code: 'bad_rule', retry: false } });
  });

  it('creates tasks and activities linked to the trigger record, assigns owners and moves to the pool through its ports', async () => {
    const w = memoryWorld();
    w.put('leads', { ...lead });
    const f = flow([
      { id: 't', kind: 'create_task', config: { title: '回访 {{record.name}}', assignee: 'owner', due: { amount: 1, unit: 'days' } } },
      { id: 'a', kind: 'create_activity', config: { activityType: 'call', subject: '系统外呼' } },
      { id: 'o', kind: 'assign_owner', config: { strategy: 'round_robin', team: '华东销售部' } },
      { id: 'p', kind: 'move_to_pool', config: {} },
    ]);
    expect(await executeRun(runOf(f), w.ports)).toEqual({ status: 'completed' });
    const made = [...w.records.values()].filter((r) => r.kind);
    expect(made).toEqual([
      expect.objectContaining({ kind: 'task', title: '回访 陈静', assignee: 'u_zhang', due: '2026-11-24T02:00:00.000Z', link: { entity: 'leads', id: 'l1' } }),
      expect.objectContaining({ kind: 'activity', title: '系统外呼', activityType: 'call' }),
    ]);
    expect(w.log('run1').get('o')!.output).toEqual({ owner: 'u_rr', reason: 'round robin' });
  });

  it('creates records with computed values, waits until a date from the record, and starts a called flow as a child', async () => {
    const w = memoryWorld();
    w.put('leads', { ...lead, follow_up_on: '2026-11-25' });
    const other = flow([update('x', { status: 'working' })], { id: 'flw_other' });
    const f = flow([
      { id: 'mk', kind: 'create_record', config: { entity: 'contacts', values: { name: { template: '{{record.name}}（联系人）' }, lead: { var: 'record.id' }, due: { now: { amount: 2, unit: 'days' } } } } },
      { id: 'until', kind: 'wait_until', config: { at: { var: 'record.follow_up_on' } } },
      { id: 'call', kind: 'call_flow', config: { flow: 'flw_other' } },
    ]);
    w.ports.flow = (id) => (id === 'flw_other' ? other : undefined);
    const r1 = await executeRun(runOf(f), w.ports);
    expect(r1).toMatchObject({ status: 'waiting', key: 'until' });
    expect((r1 as { until: Date }).until.toISOString()).toBe('2026-11-25T00:00:00.000Z');
    const made = [...w.records.values()].find((r) => r.lead === 'l1')!;
    expect(made).toMatchObject({ name: '陈静（联系人）', due: '2026-11-25T02:00:00.000Z' });
    expect(w.log('run1').get('mk')!.output).toEqual({ id: made.id });
    w.advance(2 * 86_400_000);
    expect(await executeRun(runOf(f), w.ports)).toEqual({ status: 'completed' });
    expect(w.log('run1').get('call')!.output).toEqual({ flow: 'flw_other', run: 'child-of-run1-flw_other' });
    // A called flow past the depth limit is refused.
    const deep = await executeRun(runOf(flow([{ id: 'call', kind: 'call_flow', config: { flow: 'flw_other' } }]), { id: 'run9', chain: Array(MAX_CHAIN_DEPTH - 1).fill('a') }), w.ports);
    expect(deep).toMatchObject({ status: 'failed', error: { code: 'loop_detected' } });
  });
});
