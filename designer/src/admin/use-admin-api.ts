import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '@crm/ui';
import { useDraft } from '../state/draft-context.js';
import type { Member, SystemRole, Team } from './admin-ops.js';

export interface Loaded<T> {
  data: T | undefined;
  /** The load failed: 403 for designers (the admin API is for owners and admins), or the network. */
  error: ApiError | Error | undefined;
  loading: boolean;
  reload: () => Promise<void>;
}

/** GET one admin resource (`members`, `teams`, `settings`) of the current workspace, `{data}` unwrapped. */
export function useAdminResource<T>(resource: string): Loaded<T> {
  const { api, ws } = useDraft();
  const [state, setState] = useState<{ data?: T; error?: ApiError | Error; loading: boolean }>({ loading: true });
  const reload = useCallback(async () => {
    setState((s) => ({ ...s, loading: true }));
    try {
      const r = await api.get<{ data: T }>(`/api/w/${ws}/admin/${resource}`);
      setState({ data: r.data, loading: false });
    } catch (error) {
      setState((s) => ({ ...s, error: error as Error, loading: false }));
    }
  }, [api, ws, resource]);
  useEffect(() => { void reload(); }, [reload]);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

export const useMembers = () => useAdminResource<Member[]>('members');
export const useTeams = () => useAdminResource<Team[]>('teams');

/** Sends a change to `/api/w/:ws/admin/<path>`; errors are thrown as `ApiError` for the caller to place. */
export function useAdminSend() {
  const { api, ws } = useDraft();
  return useCallback(<T = unknown>(method: 'POST' | 'PATCH' | 'PUT', path: string, body?: unknown) =>
    api.send<T>(method, `/api/w/${ws}/admin/${path}`, body ?? {}), [api, ws]);
}

/** Who is signed in and their role here: the screens hide what the server would refuse them. */
export function useMe(): { id: string; role: SystemRole } | undefined {
  const { api, ws } = useDraft();
  const [me, setMe] = useState<{ id: string; role: SystemRole }>();
  useEffect(() => {
    api.get<{ data: { id: string; workspaces: { slug: string; role: SystemRole }[] } }>('/api/auth/me').then((r) => {
      const role = r.data.workspaces.find((w) => w.slug === ws)?.role;
      if (role) setMe({ id: r.data.id, role });
    }, () => undefined);
  }, [api, ws]);
  return me;
}
