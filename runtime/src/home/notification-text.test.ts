import { describe, expect, it } from 'vitest';
import { ago, notificationText, type AppNotification } from './notification-text.js';

const base: AppNotification = { id: '1', kind: 'mention', entity: 'accounts', recordId: 'r', title: '杭州云栖科技', body: '请跟进', data: {}, actor: { id: 'u', name: '张伟' }, createdAt: '2026-11-23T02:00:00Z', readAt: null };
const now = new Date('2026-11-23T03:00:00Z');
const t = (iso: string) => iso.slice(11, 16);

describe('notification text', () => {
  it('words a mention with who and where, in either language', () => {
    expect(notificationText(base, 'zh-CN', now, t)).toEqual({ headline: '张伟 在「杭州云栖科技」中提到了您', detail: '请跟进', urgent: false });
    expect(notificationText(base, 'en', now, t).headline).toBe('张伟 mentioned you on 杭州云栖科技');
  });

  it('says whether a due task is overdue by now, not by when it was written', () => {
    const due = { ...base, kind: 'task_due', title: '回访客户', body: null, actor: null, data: { due: '2026-11-23T03:30:00Z' } };
    expect(notificationText(due, 'zh-CN', now, t)).toEqual({ headline: '任务即将到期：回访客户', detail: '截止时间 03:30', urgent: false });
    expect(notificationText(due, 'en', new Date('2026-11-23T04:00:00Z'), t)).toMatchObject({ headline: 'Task overdue: 回访客户', urgent: true });
  });

  it('words an assignment with who handed what over, in either language', () => {
    const assigned = { ...base, kind: 'assigned', title: '华东区域扩展项目', body: null, actor: { id: 'u', name: '王经理' } };
    expect(notificationText(assigned, 'zh-CN', now, t)).toEqual({ headline: '王经理 把「华东区域扩展项目」分配给了您', detail: null, urgent: false });
    expect(notificationText(assigned, 'en', now, t)).toEqual({ headline: '王经理 assigned 华东区域扩展项目 to you', detail: null, urgent: false });
    expect(notificationText({ ...assigned, title: '', actor: null }, 'en', now, t).headline).toBe('Someone assigned (untitled) to you');
    expect(notificationText({ ...assigned, title: '', actor: null }, 'zh-CN', now, t).headline).toBe('有人 把「（无标题）」分配给了您');
  });

  it('words many records handed over at once as one line with how many', () => {
    const many = { ...base, kind: 'assigned', recordId: null, title: '', body: null, data: { count: 37, label: { 'zh-CN': '线索', en: 'Leads' } }, actor: { id: 'u', name: '王经理' } };
    expect(notificationText(many, 'zh-CN', now, t).headline).toBe('王经理 把 37 条线索分配给了您');
    expect(notificationText(many, 'en', now, t).headline).toBe('王经理 assigned 37 Leads to you');
    expect(notificationText({ ...many, data: { count: 2 } }, 'en', now, t).headline).toBe('王经理 assigned 2 accounts to you');
  });

  it('falls back to the title for kinds it does not know', () => {
    expect(notificationText({ ...base, kind: 'approval', title: '' }, 'en', now, t).headline).toBe('(untitled)');
  });

  it('tells how long ago', () => {
    expect(ago('2026-11-23T02:59:30Z', now, 'zh-CN', t)).toBe('刚刚');
    expect(ago('2026-11-23T02:15:00Z', now, 'en', t)).toBe('45 min ago');
    expect(ago('2026-11-22T01:00:00Z', now, 'zh-CN', t)).toBe('1 天前');
    expect(ago('2026-11-01T01:00:00Z', now, 'zh-CN', (iso) => iso.slice(0, 10))).toBe('2026-11-01');
  });
});
