import { describe, expect, it } from 'vitest';
import { MERGED_ID_LIMIT, mergeNotifications, parseRecordsNotification, parseUserNotification } from './notification.js';
import { sseComment, sseEvent, sseRetry } from './sse.js';

const W = '0190a0b0-0000-7000-8000-000000000001';
const id = (n: number) => `0190a0b0-0000-7000-8000-${String(n).padStart(12, '0')}`;

describe('crm_records notifications', () => {
  it('parses what the audit-log trigger sends', () => {
    expect(parseRecordsNotification(JSON.stringify({ w: W, e: 'leads', a: 'update', lo: 5, hi: 7, ids: [id(1)] })))
      .toEqual({ w: W, e: 'leads', a: 'update', lo: 5, hi: 7, ids: [id(1)] });
    expect(parseRecordsNotification(JSON.stringify({ w: W, e: 'leads', a: 'create', lo: 1, hi: 400, ids: null }))?.ids).toBeNull();
  });

  it.each([
    ['not json', '{'],
    ['no workspace', JSON.stringify({ e: 'leads', a: 'update', lo: 1, hi: 1, ids: [] })],
    ['an entity that is no key', JSON.stringify({ w: W, e: 'Leads; drop', a: 'update', lo: 1, hi: 1, ids: [] })],
    ['an unknown action', JSON.stringify({ w: W, e: 'leads', a: 'purge', lo: 1, hi: 1, ids: [] })],
    ['a backwards range', JSON.stringify({ w: W, e: 'leads', a: 'update', lo: 9, hi: 1, ids: [] })],
    ['an id that is no uuid', JSON.stringify({ w: W, e: 'leads', a: 'update', lo: 1, hi: 1, ids: ['1 or 1=1'] })],
  ])('drops %s', (_what, payload) => {
    expect(parseRecordsNotification(payload)).toBeUndefined();
  });

  it('merges a burst: ids united, ranges spanned, too many ids fall back to the range', () => {
    const a = { w: W, e: 'leads', a: 'update' as const, lo: 10, hi: 10, ids: [id(1), id(2)] };
    const b = { ...a, lo: 4, hi: 12, ids: [id(2), id(3)] };
    expect(mergeNotifications(a, b)).toEqual({ ...a, lo: 4, hi: 12, ids: [id(1), id(2), id(3)] });
    expect(mergeNotifications(a, { ...b, ids: null }).ids).toBeNull();
    const many = Array.from({ length: MERGED_ID_LIMIT }, (_, i) => id(i + 10));
    expect(mergeNotifications(a, { ...b, ids: many }).ids).toBeNull();
  });
});

describe('crm_notifications notifications', () => {
  it('parses what the notifications trigger sends', () => {
    expect(parseUserNotification(JSON.stringify({ w: W, u: [id(1), id(2)] }))).toEqual({ w: W, u: [id(1), id(2)] });
  });

  it.each([
    ['not json', '{'],
    ['no workspace', JSON.stringify({ u: [id(1)] })],
    ['no users', JSON.stringify({ w: W })],
    ['a user that is no uuid', JSON.stringify({ w: W, u: ['1 or 1=1'] })],
  ])('drops %s', (_what, payload) => {
    expect(parseUserNotification(payload)).toBeUndefined();
  });
});

describe('SSE framing', () => {
  it('writes one-line JSON data, comments and retry', () => {
    expect(sseEvent('change', { entity: 'leads', note: 'a\nevent: x' })).toBe('event: change\ndata: {"entity":"leads","note":"a\\nevent: x"}\n\n');
    expect(sseComment('ping\nevent: x')).toBe(': ping event: x\n\n');
    expect(sseRetry(3000)).toBe('retry: 3000\n\n');
    expect(() => sseEvent('bad name\n', {})).toThrow();
  });
});
