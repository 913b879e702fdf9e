import { describe, expect, it } from 'vitest';
import { cronWords, formatIn, nextRuns } from './cron-schedule.js';
import { triggerSummary, type EntityLike } from './trigger-summary.js';

const entities: EntityLike[] = [
  { key: 'leads', label: { 'zh-CN': '线索', en: 'Lead' }, fields: [
    { key: 'source', label: { 'zh-CN': '来源', en: 'Source' }, options: [{ key: 'website', label: { 'zh-CN': '官网', en: 'Website' } }] },
    { key: 'status', label: { 'zh-CN': '状态', en: 'Status' }, options: [{ key: 'new', label: { 'zh-CN': '新线索', en: 'New' } }, { key: 'working', label: { 'zh-CN': '跟进中', en: 'Working' } }] },
  ] },
  { key: 'opportunities', label: { 'zh-CN': '商机', en: 'Opportunity' }, fields: [{ key: 'close_date', label: { 'zh-CN': '预计成交日期', en: 'Close date' } }] },
];
const both = (t: Parameters<typeof triggerSummary>[0]) => [triggerSummary(t, entities, 'zh-CN'), triggerSummary(t, entities, 'en')];

describe('trigger summaries', () => {
  it('say record events, fields and a condition in words', () => {
    expect(both({ kind: 'record', entity: 'leads', on: ['created'] })).toEqual(['线索新建时', 'When a Lead is created']);
    expect(both({ kind: 'record', entity: 'leads', on: ['created', 'updated'], fields: ['status'], condition: { '==': [{ var: 'source' }, 'website'] } }))
      .toEqual(['线索新建或修改时（状态变化），且满足条件', 'When a Lead is created or updated (Status changed), if the condition holds']);
  });

  it('say field changes with option names', () => {
    expect(both({ kind: 'field_changed', entity: 'leads', field: 'status', from: ['new'], to: ['working'] }))
      .toEqual(['线索的「状态」从「新线索」变为「跟进中」时', 'When Status of a Lead changes from New to Working']);
    expect(both({ kind: 'field_changed', entity: 'leads', field: 'status', to: ['working', null] }))
      .toEqual(['线索的「状态」变为「跟进中」或「空」时', 'When Status of a Lead changes to Working or empty']);
    expect(triggerSummary({ kind: 'field_changed', entity: 'leads', field: 'status' }, entities, 'zh-CN')).toBe('线索的「状态」变化时');
  });

  it('say times relative to a field, schedules, buttons and webhooks', () => {
    expect(both({ kind: 'time', entity: 'opportunities', field: 'close_date', offset: { amount: -3, unit: 'days' } }))
      .toEqual(['商机「预计成交日期」之前 3 天', '3 days before Close date of an Opportunity']);
    expect(both({ kind: 'time', entity: 'leads', field: 'owner_assigned_at', offset: { amount: 24, unit: 'hours' }, unlessActivitySince: true }))
      .toEqual(['线索「分配负责人时间」之后 24 小时，期间无跟进活动', '24 hours after Owner assigned at of a Lead, unless there was activity since']);
    expect(both({ kind: 'schedule', cron: '0 9 * * 1-5' })).toEqual(['每个工作日 9:00', 'Every weekday at 9:00']);
    expect(both({ kind: 'schedule', cron: '*/15 * * * *' })).toEqual(['按计划 */15 * * * *', 'on schedule */15 * * * *']);
    expect(both({ kind: 'manual', entity: 'leads', button: { 'zh-CN': '转交经理', en: 'Hand over' } })).toEqual(['线索上的按钮「转交经理」', 'Button "Hand over" on a Lead']);
    expect(both({ kind: 'webhook' })).toEqual(['收到 Webhook 调用时', 'When a webhook call arrives']);
    expect(triggerSummary({ kind: 'record', entity: 'gone', on: ['deleted'] }, entities, 'zh-CN')).toBe('gone删除时');
  });
});

describe('schedules: the next runs in the workspace time zone', () => {
  const iso = (ds: Date[]) => ds.map((d) => d.toISOString());
  it('skips the weekend for "every weekday at 9:00" in Shanghai', () => {
    // Friday 2025-01-03 10:00 in Shanghai (02:00 UTC): today's 9:00 has passed.
    expect(iso(nextRuns('0 9 * * 1-5', new Date('2025-01-03T02:00:00Z'), 'Asia/Shanghai'))).toEqual([
      '2025-01-06T01:00:00.000Z', '2025-01-07T01:00:00.000Z', '2025-01-08T01:00:00.000Z',
    ]);
    expect(formatIn(new Date('2025-01-06T01:00:00Z'), 'Asia/Shanghai', 'zh-CN')).toBe('2025-01-06 周一 09:00');
    expect(formatIn(new Date('2025-01-06T01:00:00Z'), 'Asia/Shanghai', 'en')).toBe('2025-01-06 Mon 09:00');
  });

  it('reads hours, days of the month and summer time', () => {
    expect(iso(nextRuns('0 * * * *', new Date('2025-01-03T02:30:00Z'), 'UTC', 2))).toEqual(['2025-01-03T03:00:00.000Z', '2025-01-03T04:00:00.000Z']);
    expect(iso(nextRuns('30 8 1 * *', new Date('2025-01-03T00:00:00Z'), 'Asia/Shanghai', 2))).toEqual(['2025-02-01T00:30:00.000Z', '2025-03-01T00:30:00.000Z']);
    // Either day field may match when both are restricted: the 13th, and every Friday.
    expect(iso(nextRuns('0 12 13 * 5', new Date('2025-06-01T00:00:00Z'), 'UTC', 3))).toEqual([
      '2025-06-06T12:00:00.000Z', '2025-06-13T12:00:00.000Z', '2025-06-20T12:00:00.000Z',
    ]);
    // Berlin moves to summer time on 2025-03-30: 8:00 is 07:00 UTC before, 06:00 UTC after.
    expect(iso(nextRuns('0 8 * * *', new Date('2025-03-29T12:00:00Z'), 'Europe/Berlin', 2))).toEqual(['2025-03-30T06:00:00.000Z', '2025-03-31T06:00:00.000Z']);
    expect(nextRuns('0 25 * * *', new Date(), 'UTC')).toEqual([]);
    expect(iso(nextRuns('0 0 29 2 *', new Date('2025-01-01T00:00:00Z'), 'UTC', 1))).toEqual(['2028-02-29T00:00:00.000Z']);
  });

  it('names the presets', () => {
    expect(cronWords('0  8 * * *', 'zh-CN')).toBe('每天 8:00');
  });
});
