import { useEffect, useRef, useState } from 'react';
import { LiveClient, type LiveIds, type LiveState } from './live-client.js';

/** The tab's one event stream; `LiveStatus` in the header connects it to the current workspace. */
export const live = new LiveClient((url) => new EventSource(url));

/** Calls `onChange` with the changed ids of `entityKey` the user may read, or 'all' when everything shown should be refetched. */
export function useLiveChanges(entityKey: string, onChange: (ids: LiveIds) => void) {
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => live.subscribe(entityKey, (ids) => latest.current(ids)), [entityKey]);
}

/**
 * A number that goes up whenever records of `entityKey` change (or only
 * record `id`, when given): put it in a fetching effect's dependencies and
 * the screen refetches what it shows.
 */
export function useLiveTick(entityKey: string, id?: string): number {
  const [tick, setTick] = useState(0);
  useLiveChanges(entityKey, (ids) => {
    if (ids === 'all' || id === undefined || ids.includes(id)) setTick((n) => n + 1);
  });
  return tick;
}

/**
 * For a record page: reloads the record when someone else changes it, except
 * while the user is editing: then it returns true (show a notice, keep what
 * they typed) and reloads once the form closes.
 */
export function useLiveRecord(entityKey: string, id: string, editing: boolean, reload: () => void): boolean {
  const [changed, setChanged] = useState(false);
  useLiveChanges(entityKey, (ids) => {
    if (id === 'new' || (ids !== 'all' && !ids.includes(id))) return;
    if (editing) setChanged(true);
    else reload();
  });
  useEffect(() => {
    if (editing || !changed) return;
    setChanged(false);
    reload();
  }, [editing]);
  return editing && changed;
}

export function useLiveState(): LiveState {
  const [state, setState] = useState(live.state);
  useEffect(() => {
    setState(live.state);
    return live.onState(setState);
  }, []);
  return state;
}
