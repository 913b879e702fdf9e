import { describe, expect, it } from 'vitest';
import { LiveClient, MERGE_MS, NOTIFICATIONS_TOPIC, type EventSourceLike, type LiveIds } from './live-client.js';

class FakeSource implements EventSourceLike {
  readyState = 0;
  closed = false;
  private readonly listeners = new Map<string, ((e: { data?: string }) => void)[]>();
  constructor(readonly url: string) {}
  addEventListener(type: string, fn: (e: { data?: string }) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  emit(type: string, data?: unknown) {
    if (type === 'ready') this.readyState = 1;
    for (const fn of this.listeners.get(type) ?? []) fn({ data: data === undefined ? undefined : JSON.stringify(data) });
  }
}

/** Timers moved by hand. */
class Timers {
  now = 0;
  private seq = 0;
  private readonly due = new Map<number, { at: number; fn: () => void }>();
  setTimeout = (fn: () => void, ms: number) => {
    this.due.set(++this.seq, { at: this.now + ms, fn });
    return this.seq;
  };
  clearTimeout = (h: unknown) => void this.due.delete(h as number);
  advance(ms: number) {
    this.now += ms;
    for (const [h, t] of [...this.due].sort((a, b) => a[1].at - b[1].at)) {
      if (t.at <= this.now && this.due.delete(h)) t.fn();
    }
  }
}

function setup() {
  const sources: FakeSource[] = [];
  const timers = new Timers();
  const client = new LiveClient((url) => {
    const s = new FakeSource(url);
    sources.push(s);
    return s;
  }, timers);
  const heard: Record<string, LiveIds[]> = {};
  const listen = (entity: string) => client.subscribe(entity, (ids) => (heard[entity] ??= []).push(ids));
  return { client, sources, timers, heard, listen, last: () => sources[sources.length - 1]! };
}

describe('LiveClient', () => {
  it('opens one stream per workspace and hands each entity its changed ids, merged over a short window', () => {
    const { client, sources, timers, heard, listen, last } = setup();
    listen('leads');
    listen('accounts');
    client.connect('acme');
    client.connect('acme');
    expect(sources.map((s) => s.url)).toEqual(['/api/w/acme/events']);
    last().emit('ready', {});
    expect(client.state).toBe('connected');
    last().emit('change', { entity: 'leads', ids: ['a'], action: 'update' });
    last().emit('change', { entity: 'leads', ids: ['b', 'a'], action: 'create' });
    expect(heard.leads).toBeUndefined();
    timers.advance(MERGE_MS);
    expect(heard).toEqual({ leads: [['a', 'b']] });
    last().emit('change', { entity: 'accounts', ids: 'all', action: 'update' });
    timers.advance(MERGE_MS);
    expect(heard.accounts).toEqual(['all']);
  });

  it('tells everyone to refetch on reset and after a reconnect, not after the first connect', () => {
    const { client, timers, heard, listen, last } = setup();
    listen('leads');
    client.connect('acme');
    last().emit('ready', {});
    timers.advance(MERGE_MS);
    expect(heard.leads).toBeUndefined();
    last().emit('reset', {});
    timers.advance(MERGE_MS);
    expect(heard.leads).toEqual(['all']);
    // The browser reconnects by itself (readyState CONNECTING): the next ready means we missed things.
    last().emit('error');
    expect(client.state).toBe('disconnected');
    last().emit('ready', {});
    timers.advance(MERGE_MS);
    expect(heard.leads).toEqual(['all', 'all']);
  });

  it('reopens a refused stream itself, backing off', () => {
    const { client, sources, timers, listen, heard, last } = setup();
    listen('leads');
    client.connect('acme');
    last().emit('ready', {});
    const first = last();
    first.readyState = 2;
    first.emit('error');
    expect(sources).toHaveLength(1);
    timers.advance(1000);
    expect(sources).toHaveLength(2);
    last().readyState = 2;
    last().emit('error');
    timers.advance(1000);
    expect(sources).toHaveLength(2);
    timers.advance(1000);
    expect(sources).toHaveLength(3);
    last().emit('ready', {});
    timers.advance(MERGE_MS);
    expect(heard.leads).toEqual(['all']);
    // A stale stream's events are ignored.
    first.emit('change', { entity: 'leads', ids: ['x'] });
    timers.advance(MERGE_MS);
    expect(heard.leads).toEqual(['all']);
  });

  it('pauses and resumes, refetching on resume; unsubscribed screens hear nothing', () => {
    const { client, sources, timers, heard, listen, last } = setup();
    const off = listen('leads');
    listen('tasks');
    client.connect('acme');
    last().emit('ready', {});
    client.pause();
    expect(client.state).toBe('paused');
    expect(sources[0]!.closed).toBe(true);
    client.resume();
    expect(sources).toHaveLength(2);
    off();
    last().emit('ready', {});
    timers.advance(MERGE_MS);
    expect(heard).toEqual({ tasks: ['all'] });
  });

  it('hands notification events to notification subscribers only, merged, and tells them to refetch on reset', () => {
    const { client, timers, heard, listen, last } = setup();
    listen('leads');
    listen(NOTIFICATIONS_TOPIC);
    client.connect('acme');
    last().emit('ready', {});
    last().emit('notification', { at: '2026-11-23T02:00:00Z' });
    last().emit('notification', { at: '2026-11-23T02:00:01Z' });
    timers.advance(MERGE_MS);
    expect(heard).toEqual({ [NOTIFICATIONS_TOPIC]: ['all'] });
    // A record change is no notification.
    last().emit('change', { entity: 'leads', ids: ['a'], action: 'update' });
    timers.advance(MERGE_MS);
    expect(heard[NOTIFICATIONS_TOPIC]).toEqual(['all']);
    last().emit('reset', {});
    timers.advance(MERGE_MS);
    expect(heard[NOTIFICATIONS_TOPIC]).toEqual(['all', 'all']);
  });

  it('ignores malformed events', () => {
    const { client, timers, heard, listen, last } = setup();
    listen('leads');
    client.connect('acme');
    last().emit('ready', {});
    for (const fn of [(s: FakeSource) => s.emit('change', 'not json {'), (s: FakeSource) => s.emit('change', { ids: ['a'] })]) fn(last());
    timers.advance(MERGE_MS);
    expect(heard).toEqual({});
  });
});
