import { describe, expect, it } from 'vitest';
import { validate, validateDocument } from './index.js';
import { cronError } from '../cron.js';
import { doc, field, smallCrm, type Body } from '../fixtures.test-data.js';
import { walkSteps } from '../flow-walk.js';
import { MAX_BRANCH_DEPTH, MAX_STEPS_PER_FLOW, type Step } from '../schemas/flow.js';
import type { MetadataDocument } from '../schemas/documents.js';

const L = (zh: string, en: string) => ({ 'zh-CN': zh, en });
const found = (docs: MetadataDocument[]) => validate(docs).map((i) => `${i.code} ${i.kind}/${i.id}${i.pointer}`);
const mutated = (change: (docs: MetadataDocument[]) => void) => {
  const docs = smallCrm();
  change(docs);
  return found(docs);
};
/** Issues of the fixture's flow after a change to it, as "CODE /pointer". */
const bigDeal = (change: (flow: Body, docs: MetadataDocument[]) => void) =>
  mutated((d) => change(doc(d, 'flw_big_deal'), d)).map((i) => i.replace(' flow/flw_big_deal', ' '));
/** Issues of a flow added to the fixture with this trigger and these steps, as "CODE /pointer". */
const flow = (trigger: unknown, steps: unknown[]) =>
  mutated((d) => {
    d.push({ kind: 'flow', id: 'flw_test', body: { id: 'flw_test', schemaVersion: 1, label: L('测试', 'Test'), enabled: true, trigger, steps } });
  }).map((i) => i.replace(' flow/flw_test', ' '));
const issuesOf = (docs: MetadataDocument[]) => validate(docs);

const onStage = { kind: 'field_changed', entity: 'opportunities', field: 'stage' };
const daily = { kind: 'schedule', cron: '0 9 * * *' };
const delay = (id: string) => ({ id, kind: 'delay', config: { for: { amount: 1, unit: 'hours' } } });
const notify = (id: string, title: string) => ({ id, kind: 'notify', config: { to: ['trigger_user'], title } });
const update = (values: Record<string, unknown>, more: Record<string, unknown> = {}) => ({ id: 's_upd', kind: 'update_record', config: { ...more, values } });
const chain = (n: number, inner: unknown[] = []): unknown[] =>
  (n === 0 ? inner : [{ id: `s_n${n}`, kind: 'branch', config: {}, branches: [{ id: `b_n${n}`, steps: chain(n - 1, inner) }] }]);

describe('flows: structure', () => {
  it('accepts the fixture flows, alone and in the workspace', () => {
    for (const d of smallCrm().filter((x) => x.kind === 'flow')) expect(validateDocument('flow', d.body, d.id)).toEqual([]);
    expect(found(smallCrm())).toEqual([]);
  });

  it('refuses an unknown step kind where the kind is', () => {
    expect(bigDeal((f) => { f.steps[2].branches[0].steps[1].kind = 'sms'; }))
      .toEqual(['META_NOT_ALLOWED_VALUE /steps/2/branches/0/steps/1/kind']);
  });

  it("checks each step's config against its kind, under the step's pointer, and reads it no further", () => {
    expect(bigDeal((f) => { f.steps[2].branches[0].steps[1].config.to = []; })).toEqual(['META_TOO_FEW /steps/2/branches/0/steps/1/config/to']);
    expect(bigDeal((f) => { f.steps[5].branches[0].steps[0].config.values.Valid = '2026-01-01'; }))
      .toEqual(['META_KEY_FORMAT /steps/5/branches/0/steps/0/config/values/Valid']);
    expect(mutated((d) => { doc(d, 'flw_daily').steps[0].config.headers['X Source'] = 'crm'; })).toEqual(['META_BAD_FORMAT flow/flw_daily/steps/0/config/headers/X Source']);
    expect(bigDeal((f) => { delete f.steps[1].config.entity; })).toEqual(['META_REQUIRED /steps/1/config/entity']);
    expect(bigDeal((f) => { f.steps[3].config.timeout = { amount: 3, unit: 'weeks' }; })).toEqual(['META_NOT_ALLOWED_VALUE /steps/3/config/timeout/unit']);
    expect(bigDeal((f) => { f.steps[4].config.values.amount = { var: 'record.amount', fallback: 0 }; })).toEqual(expect.arrayContaining([
      expect.stringMatching(/^META_\w+ \/steps\/4\/config\/values\/amount/),
    ]));
    // A config that fails its schema is not read for fields: no unknown-field issue on top.
    expect(bigDeal((f) => { Object.assign(f.steps[1].config, { colour: 'red', values: { budget: '1' } }); })).toEqual(['META_UNKNOWN_PROPERTY /steps/1/config/colour']);
  });

  it('wants step and branch ids unique across the whole flow', () => {
    expect(bigDeal((f) => { f.steps[5].branches[0].steps[0].id = 's_quote'; })).toEqual(['META_DUPLICATE_ID /steps/5/branches/0/steps/0/id']);
    expect(bigDeal((f) => { f.steps[5].branches[0].id = 'b_huge'; })).toEqual(['META_DUPLICATE_ID /steps/5/branches/0/id']);
    expect(bigDeal((f) => { f.steps[2].branches[1].id = 's_split'; })).toEqual(['META_DUPLICATE_ID /steps/2/branches/1/id']);
  });

  it('wants branches exactly on branch and loop steps', () => {
    expect(bigDeal((f) => { delete f.steps[2].branches; })).toEqual(['META_REQUIRED /steps/2/branches']);
    expect(bigDeal((f) => { delete f.steps[5].branches; })).toEqual(['META_REQUIRED /steps/5/branches']);
    expect(bigDeal((f) => { f.steps[3].branches = [{ id: 'b_x', steps: [] }]; })).toEqual(['META_FLOW_BRANCHES_NOT_ALLOWED /steps/3/branches']);
  });

  it('allows one default branch, last', () => {
    expect(bigDeal((f) => { f.steps[2].branches.reverse(); })).toEqual(['META_FLOW_DEFAULT_BRANCH /steps/2/branches/0']);
    expect(bigDeal((f) => { delete f.steps[2].branches[0].rule; })).toEqual(['META_FLOW_DEFAULT_BRANCH /steps/2/branches/0']);
    // Ruled branches only (no default): nothing runs when none holds.
    expect(bigDeal((f) => { f.steps[2].branches[1].rule = { '<': [{ var: 'amount' }, '1000000'] }; })).toEqual([]);
  });

  it('gives a loop one body, without a rule', () => {
    expect(bigDeal((f) => { f.steps[5].branches.push({ id: 'b_more', steps: [] }); })).toEqual(['META_FLOW_LOOP_BODY /steps/5/branches/1']);
    expect(bigDeal((f) => { f.steps[5].branches[0].rule = { isEmpty: [{ var: 'name' }] }; })).toEqual(['META_FLOW_LOOP_BODY /steps/5/branches/0/rule']);
  });

  it(`nests branches at most ${MAX_BRANCH_DEPTH} deep`, () => {
    // s_split is at depth 0, so chain(n) under it reaches depth n; a step at depth 8 is fine, branches below it are not.
    expect(bigDeal((f) => { f.steps[2].branches[1].steps = chain(7, [delay('s_deep')]); })).toEqual([]);
    expect(bigDeal((f) => { f.steps[2].branches[1].steps = chain(8); }))
      .toEqual([`META_FLOW_TOO_DEEP /steps/2/branches/1/steps/0${'/branches/0/steps/0'.repeat(7)}/branches`]);
  });

  it(`counts at most ${MAX_STEPS_PER_FLOW} steps, branches included`, () => {
    const delays = (n: number) => Array.from({ length: n }, (_, i) => delay(`s_d${i}`));
    // The fixture has 12 steps; s_task (one of them) is replaced.
    expect(bigDeal((f) => { f.steps[2].branches[1].steps = delays(189); })).toEqual([]);
    const issues = issuesOf((() => {
      const d = smallCrm();
      doc(d, 'flw_big_deal').steps[2].branches[1].steps = delays(190);
      return d;
    })());
    expect(issues.map((i) => [i.code, i.pointer, i.params])).toEqual([['META_FLOW_TOO_MANY_STEPS', '/steps', { count: 201, max: 200 }]]);
  });
});

describe('flows: trigger', () => {
  it('names a live entity (a reference)', () => {
    const issues = issuesOf((() => {
      const d = smallCrm();
      doc(d, 'flw_big_deal').trigger.entity = 'deals';
      return d;
    })());
    expect(issues.map((i) => `${i.code} ${i.pointer} ${i.reference}`)).toEqual(['META_UNKNOWN_ENTITY /trigger/entity true']);
    expect(bigDeal((_, d) => { doc(d, 'ent_opportunity').archived = true; })).toEqual(expect.arrayContaining(['META_ENTITY_ARCHIVED /trigger/entity']));
  });

  it('names live fields', () => {
    expect(bigDeal((f) => { f.trigger.field = 'phase'; })).toEqual(['META_UNKNOWN_FIELD /trigger/field']);
    expect(flow({ kind: 'record', entity: 'accounts', on: ['updated'], fields: ['level', 'fax', 'level'] }, [delay('s_a')]))
      .toEqual(['META_DUPLICATE_ITEM /trigger/fields/2', 'META_FIELD_ARCHIVED /trigger/fields/1']);
  });

  it('wants field_changed values to be options of a select (deactivated ones included; null is empty)', () => {
    expect(bigDeal((f) => { f.trigger.to = ['won', 'closed', 5, null]; })).toEqual(['META_UNKNOWN_OPTION /trigger/to/1', 'META_UNKNOWN_OPTION /trigger/to/2']);
    expect(bigDeal((f) => { f.trigger.from = ['initial', 'prospect']; })).toEqual(['META_UNKNOWN_OPTION /trigger/from/1']);
    expect(flow({ kind: 'field_changed', entity: 'accounts', field: 'level', to: ['c'] }, [delay('s_a')])).toEqual([]);
    expect(flow({ kind: 'field_changed', entity: 'opportunities', field: 'name', to: ['anything'] }, [delay('s_a')])).toEqual([]);
  });

  it('counts time from a date or datetime field, or from created_at, updated_at, owner_assigned_at (owned records)', () => {
    const time = (entity: string, f: string) => flow({ kind: 'time', entity, field: f, offset: { amount: -3, unit: 'days' } }, [delay('s_a')]);
    expect(time('opportunities', 'expected_close')).toEqual([]);
    expect(time('opportunities', 'created_at')).toEqual([]);
    expect(time('opportunities', 'owner_assigned_at')).toEqual([]);
    expect(time('quote_lines', 'updated_at')).toEqual([]);
    expect(time('quote_lines', 'owner_assigned_at')).toEqual(['META_FLOW_NOT_OWNED /trigger/field']);
    expect(time('opportunities', 'amount')).toEqual(['META_FIELD_WRONG_TYPE /trigger/field']);
    expect(time('opportunities', 'closed_on')).toEqual(['META_UNKNOWN_FIELD /trigger/field']);
  });

  it('shows a button to roles that exist', () => {
    const manual = (roles: string[]) => flow({ kind: 'manual', entity: 'opportunities', button: L('跟进', 'Follow up'), roles }, [delay('s_a')]);
    expect(manual(['sales_rep', 'sales_manager'])).toEqual([]);
    expect(manual(['sales_rep', 'ceo'])).toEqual(['META_UNKNOWN_ROLE /trigger/roles/1']);
  });

  it('runs on a valid five-field cron', () => {
    expect(mutated((d) => { doc(d, 'flw_daily').trigger.cron = '*/15 8-18 1,15 JAN-mar 1-5'; })).toEqual([]);
    expect(mutated((d) => { doc(d, 'flw_daily').trigger.cron = '0 9 * * 1-5 2026'; })).toEqual(['META_FLOW_CRON flow/flw_daily/trigger/cron']);
  });
});

describe('cronError', () => {
  it.each(['0 9 * * 1-5', '*/15 * * * *', '0 0 1,15 * *', '30 8 * JAN-MAR mon', '0 12 * * 7', '0-30/10 9-17 * * SUN', ' 5  4 31 12 0 '])('accepts %j', (cron) => {
    expect(cronError(cron)).toBeUndefined();
  });

  it.each([
    ['0 9 * *', '0 9 * *'], ['@daily', '@daily'], ['60 * * * *', '60'], ['* 24 * * *', '24'], ['* * 0 * *', '0'], ['* * * 13 *', '13'],
    ['* * * * 8', '8'], ['5-1 * * * *', '5-1'], ['*/0 * * * *', '*/0'], ['5/15 * * * *', '5/15'], ['? * * * *', '?'], ['0 9 * * MON-', 'MON-'],
    ['L * * * *', 'L'], ['0 9 * JUL-JUN *', 'JUL-JUN'], ['0 9 * * 1,,2', ''], ['0 9 * * MONDAY', 'MONDAY'], ['0 9 * JAN MON#2', 'MON#2'], ['-1 * * * *', '-1'],
  ])('refuses %j at %j', (cron, at) => {
    expect(cronError(cron)).toBe(at);
  });
});

describe('flows: rules', () => {
  it('checks every rule against the trigger entity, an unknown var being a reference', () => {
    const issues = issuesOf((() => {
      const d = smallCrm();
      const f = doc(d, 'flw_big_deal');
      f.trigger.condition = { '>=': [{ var: 'budget' }, '1'] };
      f.steps[2].branches[0].rule = { '==': [{ var: 'stage' }, 'closed'] };
      f.steps[3].config.rule = { '==': [{ var: 'stage' }, 1] };
      f.steps[0].config.rule = { method: [{ var: 'name' }, 'toString'] };
      return d;
    })());
    expect(issues.map((i) => `${i.code} ${i.pointer} ${i.reference}`)).toEqual([
      'RULE_UNKNOWN_VAR /trigger/condition/>=/0/var true',
      'RULE_UNKNOWN_OPERATOR /steps/0/config/rule/method false',
      'RULE_UNKNOWN_OPTION /steps/2/branches/0/rule/==/1 false',
      'RULE_BAD_LITERAL /steps/3/config/rule/==/1 false',
    ]);
  });

  it('lets flow rules read $previous.<field> and $now, which views and gates cannot', () => {
    expect(bigDeal((f) => { f.steps[0].config.rule = { and: [{ '!=': [{ var: 'amount' }, { var: '$previous.amount' }] }, { '<': [{ var: 'expected_close' }, { var: '$now' }] }] }; }))
      .toEqual(expect.not.arrayContaining([expect.stringMatching(/UNKNOWN_VAR/)]));
    expect(bigDeal((f) => { f.steps[0].config.rule = { '!=': [{ var: 'stage' }, { var: '$previous.phase' }] }; })).toEqual(['RULE_UNKNOWN_VAR /steps/0/config/rule/!=/1/var']);
    expect(mutated((d) => { doc(d, 'vw_my_opps').filter = { '!=': [{ var: 'stage' }, { var: '$previous.stage' }] }; })).toEqual(['RULE_UNKNOWN_VAR view/vw_my_opps/filter/!=/1/var']);
    expect(mutated((d) => { doc(d, 'pl_sales').stages[2].gate.rule = { '!=': [{ var: 'stage' }, { var: '$previous.stage' }] }; }))
      .toEqual(['RULE_UNKNOWN_VAR pipeline/pl_sales/stages/2/gate/rule/!=/1/var']);
  });

  it("checks a loop's filter against the loop's entity", () => {
    expect(bigDeal((f) => { f.steps[5].config.filter = { '>': [{ var: 'tax_rate' }, '0'] }; })).toEqual([]);
    expect(bigDeal((f) => { f.steps[5].config.filter = { '>': [{ var: 'amount' }, '0'] }; })).toEqual(['RULE_UNKNOWN_VAR /steps/5/config/filter/>/0/var']);
    expect(bigDeal((f) => { f.steps[5].config.filter = { '==': [{ var: 'valid_until' }, { var: '$previous.valid_until' }] }; }))
      .toEqual(['RULE_UNKNOWN_VAR /steps/5/config/filter/==/1/var']);
  });

  it('reads only the clock in a flow without a trigger record (its own problem then)', () => {
    const condition = (rule: unknown) => ({ id: 's_if', kind: 'condition', config: { rule } });
    expect(flow(daily, [condition({ '>': [{ var: '$now' }, '2026-01-01T00:00:00Z'] })])).toEqual([]);
    const issues = issuesOf((() => {
      const d = smallCrm();
      doc(d, 'flw_daily').steps.push(condition({ '>': [{ var: 'amount' }, '0'] }));
      return d;
    })());
    expect(issues.map((i) => `${i.code} ${i.pointer} ${i.reference}`)).toEqual(['RULE_UNKNOWN_VAR /steps/1/config/rule/>/0/var false']);
  });
});

describe('flows: values and variables', () => {
  it('writes live, writable fields of the created entity', () => {
    expect(bigDeal((f) => { f.steps[1].config.values.discount = '5'; })).toEqual(['META_UNKNOWN_FIELD /steps/1/config/values/discount']);
    for (const computed of ['number', 'subtotal', 'line_count', 'total']) {
      expect(bigDeal((f) => { f.steps[1].config.values[computed] = '1'; }), computed).toEqual([`META_FLOW_FIELD_NOT_WRITABLE /steps/1/config/values/${computed}`]);
    }
    expect(bigDeal((f) => { f.steps[1].config.entity = 'offers'; })).toEqual(['META_UNKNOWN_ENTITY /steps/1/config/entity']);
    expect(bigDeal((_, d) => { field(d, 'ent_quote', 'valid_until').archived = true; })).toEqual(expect.arrayContaining(['META_FIELD_ARCHIVED /steps/1/config/values/valid_until']));
  });

  it('updates the trigger record by default, or the entity named', () => {
    expect(bigDeal((f) => { f.steps[4].config.values.account_level = 'a'; })).toEqual(['META_FLOW_FIELD_NOT_WRITABLE /steps/4/config/values/account_level']);
    expect(bigDeal((f) => { f.steps[4].config.values.valid_until = null; })).toEqual(['META_UNKNOWN_FIELD /steps/4/config/values/valid_until']);
    expect(bigDeal((f) => { f.steps[5].branches[0].steps[0].config.values = { amount: '1' }; })).toEqual(['META_UNKNOWN_FIELD /steps/5/branches/0/steps/0/config/values/amount']);
    // A record reached through the trigger record: a relation to the entity updated, or the record itself.
    expect(bigDeal((f) => { f.steps[4].config = { record: { var: 'record.account' }, entity: 'accounts', values: { level: 'a' } }; })).toEqual([]);
    expect(bigDeal((f) => { f.steps[4].config = { record: { var: 'record.id' }, values: { probability: '1' } }; })).toEqual([]);
    expect(bigDeal((f) => { f.steps[4].config = { record: { var: 'record.name' }, entity: 'accounts', values: { level: 'a' } }; }))
      .toEqual(['META_RELATION_TARGET /steps/4/config/record/var']);
    expect(bigDeal((f) => { f.steps[4].config = { record: { var: 'record.id' }, entity: 'accounts', values: { level: 'a' } }; }))
      .toEqual(['META_RELATION_TARGET /steps/4/config/record/var']);
    expect(bigDeal((f) => { f.steps[4].config = { record: { var: 'record' }, values: {} }; })).toEqual(['META_FLOW_UNKNOWN_VAR /steps/4/config/record/var']);
  });

  it('reads fields and system columns of the trigger record, before and after the change', () => {
    const values = (v: unknown) => bigDeal((f) => { f.steps[1].config.values.valid_until = v; });
    for (const ok of ['record.expected_close', 'previous.expected_close', 'record.id', 'record.owner_id', 'record.created_at', 'record.last_activity_at', '$user.id']) {
      expect(values({ var: ok }), ok).toEqual([]);
    }
    expect(values({ var: 'record.closing' })).toEqual(['META_UNKNOWN_FIELD /steps/1/config/values/valid_until/var']);
    expect(values({ var: 'previous.version' })).toEqual(['META_UNKNOWN_FIELD /steps/1/config/values/valid_until/var']);
    expect(bigDeal((f, d) => {
      doc(d, 'ent_opportunity').hasActivities = false;
      f.steps[1].config.values.valid_until = { var: 'record.last_activity_at' };
    })).toEqual(['META_UNKNOWN_FIELD /steps/1/config/values/valid_until/var']);
    expect(values({ var: 'trigger.source' })).toEqual(['META_FLOW_UNKNOWN_VAR /steps/1/config/values/valid_until/var']);
    expect(flow({ kind: 'webhook', entity: 'opportunities' }, [update({ loss_reason: { var: 'trigger.reason' }, name: { var: 'record.name' } })])).toEqual([]);
  });

  it('reads the output of a step only when that step surely ran before', () => {
    const notifyTitle = (title: string) => bigDeal((f) => { f.steps[2].branches[0].steps[1].config.title = title; });
    expect(notifyTitle('{{steps.s_assign.owner}} {{steps.s_quote.id}} {{steps.s_moved.x}}')).toEqual([]); // earlier in its branch; earlier around it
    expect(notifyTitle('{{steps.s_notify.id}}')).toEqual(['META_FLOW_STEP_NOT_BEFORE /steps/2/branches/0/steps/1/config/title']); // itself
    expect(notifyTitle('{{steps.s_won.id}}')).toEqual(['META_FLOW_STEP_NOT_BEFORE /steps/2/branches/0/steps/1/config/title']); // later
    expect(notifyTitle('{{steps.s_task.id}}')).toEqual(['META_FLOW_STEP_NOT_BEFORE /steps/2/branches/0/steps/1/config/title']); // sibling branch
    expect(notifyTitle('{{steps.s_offer.id}}')).toEqual(['META_FLOW_UNKNOWN_STEP /steps/2/branches/0/steps/1/config/title']);
    expect(notifyTitle('{{steps.b_huge.id}}')).toEqual(['META_FLOW_UNKNOWN_STEP /steps/2/branches/0/steps/1/config/title']); // a branch is not a step
    // After a branch step, the steps inside its branches may not have run.
    expect(bigDeal((f) => { f.steps[6].config.body = '{{steps.s_assign.owner}}'; })).toEqual(['META_FLOW_STEP_NOT_BEFORE /steps/6/config/body']);
    // Inside a loop the loop step has started (its output holds the current record), and so have the body's earlier steps.
    expect(bigDeal((f) => { f.steps[5].branches[0].steps.push(notify('s_each', '{{steps.s_quotes.item}} {{steps.s_quotes.index}} {{steps.s_extend.id}}')); })).toEqual([]);
    expect(bigDeal((f) => { f.steps[6].config.body = '{{steps.s_extend.id}}'; })).toEqual(['META_FLOW_STEP_NOT_BEFORE /steps/6/config/body']);
    expect(bigDeal((f) => { f.steps[2].branches[0].steps[1].config.to[1] = { var: 'steps.s_task.assignee' }; }))
      .toEqual(['META_FLOW_STEP_NOT_BEFORE /steps/2/branches/0/steps/1/config/to/1/var']);
  });

  it('reads {{placeholders}} of templates like vars', () => {
    const subject = (s: string) => bigDeal((f) => { f.steps[6].config.subject = s; });
    expect(subject('{{ record.name }}：{{previous.stage}}→{{record.stage}} {{$user.id}}')).toEqual([]);
    expect(subject('{{record.nom}}')).toEqual(['META_UNKNOWN_FIELD /steps/6/config/subject']);
    expect(subject('{{name}}')).toEqual(['META_FLOW_UNKNOWN_VAR /steps/6/config/subject']);
    expect(subject('{{}}')).toEqual(['META_FLOW_UNKNOWN_VAR /steps/6/config/subject']);
    expect(subject('赢单 {{record.name')).toEqual(['META_FLOW_UNKNOWN_VAR /steps/6/config/subject']);
    expect(bigDeal((f) => { f.steps[4].config.values.loss_reason = { template: '{{record.reason}}' }; })).toEqual(['META_UNKNOWN_FIELD /steps/4/config/values/loss_reason/template']);
    expect(mutated((d) => { doc(d, 'flw_daily').steps[0].config.headers['X-Source'] = '{{steps.s_push.id}}'; }))
      .toEqual(['META_FLOW_STEP_NOT_BEFORE flow/flw_daily/steps/0/config/headers/X-Source']);
  });
});

describe('flows without a trigger record', () => {
  it('refuses record and previous vars, updates without a record, owners and loops (schedules, webhooks without an entity)', () => {
    for (const trigger of [daily, { kind: 'webhook' }]) {
      expect(flow(trigger, [notify('s_a', '{{record.name}} {{previous.name}} {{trigger.x}} {{$user.id}}')])).toEqual(
        trigger.kind === 'webhook' ? ['META_FLOW_NO_RECORD /steps/0/config/title', 'META_FLOW_NO_RECORD /steps/0/config/title']
          : ['META_FLOW_NO_RECORD /steps/0/config/title', 'META_FLOW_NO_RECORD /steps/0/config/title', 'META_FLOW_UNKNOWN_VAR /steps/0/config/title'],
      );
    }
    expect(flow(daily, [update({ probability: '1' })])).toEqual(['META_FLOW_NO_RECORD /steps/0/config/record']);
    expect(flow(daily, [update({ probability: '1' }, { record: { var: 'trigger.id' } })])).toEqual(['META_FLOW_UNKNOWN_VAR /steps/0/config/record/var', 'META_REQUIRED /steps/0/config/entity']);
    expect(flow({ kind: 'webhook' }, [update({ probability: '1' }, { record: { var: 'trigger.id' }, entity: 'opportunities' })])).toEqual([]);
    expect(flow(daily, [{ id: 's_own', kind: 'move_to_pool', config: {} }])).toEqual(['META_FLOW_NO_RECORD /steps/0']);
    expect(flow(daily, [{ id: 's_t', kind: 'create_task', config: { title: 'x', assignee: 'owner' } }])).toEqual(['META_FLOW_NO_RECORD /steps/0/config/assignee']);
    expect(flow(daily, [{ id: 's_l', kind: 'loop', config: { entity: 'quotes', field: 'opportunity', max: 5 }, branches: [{ id: 'b_l', steps: [] }] }]))
      .toEqual(['META_FLOW_NO_RECORD /steps/0/config/field']);
    expect(flow({ kind: 'webhook', entity: 'opportunities' }, [notify('s_a', '{{record.name}}')])).toEqual([]);
  });
});

describe('flows: other steps', () => {
  it('calls another flow that exists, not itself', () => {
    const issues = issuesOf((() => {
      const d = smallCrm();
      doc(d, 'flw_big_deal').steps[7].config.flow = 'flw_weekly';
      return d;
    })());
    expect(issues.map((i) => `${i.code} ${i.pointer} ${i.reference}`)).toEqual(['META_FLOW_UNKNOWN_FLOW /steps/7/config/flow true']);
    expect(bigDeal((f) => { f.steps[7].config.flow = 'flw_big_deal'; })).toEqual(['META_FLOW_CALLS_ITSELF /steps/7/config/flow']);
    // A broken flow still exists: only its own issues are reported.
    expect(mutated((d) => { doc(d, 'flw_daily').enabled = 'no'; })).toEqual(['META_WRONG_TYPE flow/flw_daily/enabled']);
  });

  it('loops over records whose relation points at the trigger record', () => {
    expect(bigDeal((f) => { f.steps[5].config.entity = 'offers'; })).toEqual(['META_UNKNOWN_ENTITY /steps/5/config/entity']);
    expect(bigDeal((f) => { f.steps[5].config.field = 'opp'; })).toEqual(['META_UNKNOWN_FIELD /steps/5/config/field']);
    expect(bigDeal((f) => { Object.assign(f.steps[5].config, { entity: 'contacts', field: 'account', filter: { isEmpty: [{ var: 'email' }] } }); }))
      .toEqual(['META_RELATION_TARGET /steps/5/config/field']);
    expect(bigDeal((f) => { f.steps[5].config.field = 'valid_until'; })).toEqual(['META_RELATION_TARGET /steps/5/config/field']);
  });

  it('assigns owners with what each strategy needs, on owned records only', () => {
    const assign = (config: unknown, entity = 'opportunities') =>
      flow({ kind: 'record', entity, on: ['created'] }, [{ id: 's_as', kind: 'assign_owner', config }]);
    const uuid = '0190a1b2-0000-7000-8000-000000000001';
    expect(assign({ strategy: 'field_map', field: 'stage', map: { initial: uuid }, fallback: uuid })).toEqual([]);
    expect(assign({ strategy: 'field_map' })).toEqual(['META_REQUIRED /steps/0/config/field', 'META_REQUIRED /steps/0/config/map']);
    expect(assign({ strategy: 'field_map', field: 'region', map: {} })).toEqual(['META_UNKNOWN_FIELD /steps/0/config/field']);
    expect(assign({ strategy: 'least_loaded', team: 'east' })).toEqual([]);
    expect(assign({ strategy: 'round_robin' })).toEqual(['META_REQUIRED /steps/0/config/team']);
    expect(assign({ strategy: 'round_robin', team: 'east' }, 'quote_lines')).toEqual(['META_FLOW_NOT_OWNED /steps/0']);
    expect(flow({ kind: 'record', entity: 'quote_lines', on: ['created'] }, [{ id: 's_p', kind: 'move_to_pool', config: {} }])).toEqual(['META_FLOW_NOT_OWNED /steps/0']);
    expect(flow({ kind: 'record', entity: 'quote_lines', on: ['created'] }, [{ id: 's_t', kind: 'create_task', config: { title: 'x', assignee: 'owner_manager' } }]))
      .toEqual(['META_FLOW_NOT_OWNED /steps/0/config/assignee']);
  });

  it('messages the issues in both languages', () => {
    const [issue] = issuesOf((() => {
      const d = smallCrm();
      doc(d, 'flw_big_deal').steps[6].config.body = '{{steps.s_report.id}}';
      return d;
    })());
    expect(issue!.message).toEqual({
      'zh-CN': '步骤 s_report 不一定在此之前执行，不能使用它的结果',
      en: 'Step s_report does not always run before this one, so its output cannot be used here',
    });
  });
});

describe('walkSteps', () => {
  const steps = [
    { id: 'a', kind: 'delay', config: {} },
    { id: 'b', kind: 'branch', config: {}, branches: [
      { id: 'b1', steps: [{ id: 'c', kind: 'delay', config: {} }, { id: 'd', kind: 'loop', config: {}, branches: [{ id: 'l', steps: [{ id: 'e', kind: 'delay', config: {} }] }] }] },
      { id: 'b2', steps: [{ id: 'f', kind: 'delay', config: {} }] },
    ] },
    { id: 'g', kind: 'delay', config: {} },
  ] as Step[];

  it('visits every step in document order with its pointer, depth and the steps surely run before it', () => {
    const seen: string[] = [];
    walkSteps(steps, (s, at, depth, before) => { seen.push(`${s.id} ${at} ${depth} [${before.map((b) => b.id).join(',')}]`); });
    expect(seen).toEqual([
      'a /steps/0 0 []',
      'b /steps/1 0 [a]',
      'c /steps/1/branches/0/steps/0 1 [a,b]',
      'd /steps/1/branches/0/steps/1 1 [a,b,c]',
      'e /steps/1/branches/0/steps/1/branches/0/steps/0 2 [a,b,c,d]',
      'f /steps/1/branches/1/steps/0 1 [a,b]',
      'g /steps/2 0 [a,b]',
    ]);
  });

  it("skips a step's branches when the visitor says false, and lists that are not arrays", () => {
    const seen: string[] = [];
    walkSteps(steps, (s) => { seen.push(s.id); return s.id !== 'b'; });
    expect(seen).toEqual(['a', 'b', 'g']);
    const draft = [{ id: 'x', kind: 'branch', config: {}, branches: [{ id: 'y' }] }] as unknown as Step[];
    expect(() => walkSteps(draft, () => undefined)).not.toThrow();
    expect(() => walkSteps(undefined as unknown as Step[], () => undefined)).not.toThrow();
  });
});
