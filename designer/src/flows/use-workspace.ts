import { useEffect, useState } from 'react';
import type { Api } from '@crm/ui';
import { useDraft } from '../state/draft-context.js';

export interface MemberName { id: string; name: string; status?: string }

// One load per workspace and resource for the whole session: every step panel asks for the members.
const cache = new Map<string, Promise<unknown>>();
function load<T>(api: Api, path: string, pick: (r: any) => T): Promise<T> {
  if (!cache.has(path)) cache.set(path, api.get(path).then(pick).catch((err) => { cache.delete(path); throw err; }));
  return cache.get(path) as Promise<T>;
}

function useLoaded<T>(path: string, pick: (r: any) => T): T | undefined {
  const { api } = useDraft();
  const [v, setV] = useState<T>();
  useEffect(() => {
    let live = true;
    load(api, path, pick).then((x) => live && setV(x), () => undefined);
    return () => { live = false; };
  }, [api, path]);
  return v;
}

/** The workspace's members by name (recipients, owners, who triggered a run). */
export const useMembers = (): MemberName[] | undefined => useLoaded(`/api/w/${useDraft().ws}/members`, (r) => r.data as MemberName[]);

/** Team names for owner assignment; undefined for designers (the teams API is for owners and admins): they type the name. */
export const useTeamNames = (): string[] | undefined =>
  useLoaded(`/api/w/${useDraft().ws}/admin/teams`, (r) => (r.data as { name: string }[]).map((t) => t.name));

/** The workspace's time zone (schedules run in it). */
export const useTimeZone = (): string =>
  useLoaded(`/api/w/${useDraft().ws}/navigation`, (r) => (r.data?.workspace?.settings?.timeZone as string | undefined) ?? 'Asia/Shanghai') ?? 'Asia/Shanghai';
