import { describe, expect, it } from 'vitest';
import type { Step } from '@crm/metadata';
import { stepSummary, type SummaryContext } from './step-summary.js';

const leads = {
  key: 'leads', label: { 'zh-CN': '线索', en: 'Lead' },
  fields: [
    { key: 'name', label: { 'zh-CN': '姓名', en: 'Name' } },
    { key: 'email', label: { 'zh-CN': '邮箱', en: 'Email' } },
    { key: 'status', label: { 'zh-CN': '状态', en: 'Status' }, options: [{ key: 'working', label: { 'zh-CN': '跟进中', en: 'Working' } }] },
  ],
};
const zh: SummaryContext = { lang: 'zh-CN', entities: [leads], entity: leads, members: { u1: '张伟' } };
const en: SummaryContext = { ...zh, lang: 'en' };
const step = (kind: Step['kind'], config: Record<string, unknown>): Step => ({ id: 's1', kind, config });

describe('step cards say what the step does', () => {
  it('names fields, options, variables and recipients as people know them', () => {
    const update = step('update_record', { values: { status: 'working', name: { template: '{{record.name}}（网站）' } } });
    expect(stepSummary(update, zh)).toBe('状态 = 跟进中；姓名 = 「姓名」（网站）');
    expect(stepSummary(update, en)).toBe('Status = Working; Name = [Name]（网站）');
    expect(stepSummary(step('send_email', { to: [{ var: 'record.email' }, { user: 'u1' }, 'owner'], subject: '你好 {{record.name}}', body: 'x' }), zh))
      .toBe('「邮箱」、张伟、负责人：你好 「姓名」');
    expect(stepSummary(step('notify', { to: ['owner_manager'], title: '{{previous.status}} → {{steps.s2.owner}}' }), en)).toBe("owner's manager: [previous Status] → [s2.owner]");
  });

  it('says times, entities and nothing for a config of another shape', () => {
    expect(stepSummary(step('delay', { for: { amount: 3, unit: 'days' } }), zh)).toBe('等待 3 天');
    expect(stepSummary(step('wait_until', { at: { now: { amount: -2, unit: 'hours' } } }), en)).toBe('Until now − 2 hours');
    expect(stepSummary(step('create_record', { entity: 'leads', values: {} }), zh)).toBe('线索：（还没有设置字段）');
    expect(stepSummary(step('update_record', { values: 'nonsense' }), zh)).toBe('（还没有设置字段）');
  });
});
