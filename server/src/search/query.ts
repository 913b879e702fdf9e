import { AppError } from '../errors/app-error.js';

/**
 * The pure part of global search: reading the request, choosing what a hit
 * shows under its title, and ordering the groups. No database, no HTTP.
 */

export const MAX_QUERY_CHARS = 100;
export const DEFAULT_LIMIT = 5;
export const MAX_LIMIT = 20;

/** Entities a salesperson looks for most, in this order, before all others (which keep metadata order). */
export const PREFERRED_ENTITIES = ['leads', 'accounts', 'contacts', 'opportunities'] as const;

export interface SearchParams {
  q: string;
  limit: number;
}

const PARAMS = new Set(['q', 'limit']);

/**
 * `?q=<text>&limit=<per entity>`: q is trimmed and must keep 1..100
 * characters (code points, so a Chinese character counts as one); limit is
 * 1..20, 5 when absent.
 *
 *   parseSearchParams({ q: ' 星辰 ' }) -> { q: '星辰', limit: 5 }
 *   parseSearchParams({ q: '' })       -> throws CRM_ERR_SEARCH_QUERY (400)
 */
export function parseSearchParams(query: Record<string, unknown>): SearchParams {
  const unknown = Object.keys(query).filter((k) => !PARAMS.has(k));
  if (unknown.length) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: `unknown parameters: ${unknown.join(', ')}` });
  const raw = query.q;
  const q = typeof raw === 'string' ? raw.trim() : '';
  const chars = [...q].length;
  if (chars < 1 || chars > MAX_QUERY_CHARS || q.includes('\u0000')) {
    throw new AppError('CRM_ERR_SEARCH_QUERY', { max: MAX_QUERY_CHARS }, [{ pointer: '/q', code: 'REQUEST_SCHEMA', params: { reason: `1..${MAX_QUERY_CHARS} characters` } }]);
  }
  let limit = DEFAULT_LIMIT;
  if (query.limit !== undefined) {
    limit = typeof query.limit === 'string' && /^\d{1,3}$/.test(query.limit) ? Number(query.limit) : NaN;
    if (!(limit >= 1 && limit <= MAX_LIMIT)) {
      throw new AppError('CRM_ERR_BAD_REQUEST', { reason: `limit must be 1..${MAX_LIMIT}` }, [{ pointer: '/limit', code: 'REQUEST_SCHEMA', params: { reason: `1..${MAX_LIMIT}` } }]);
    }
  }
  return { q, limit };
}

/**
 * The line under a hit's title: the searchable value that contains the query
 * (so a lead found by its company shows the company), else the first
 * non-empty one. Never the title again.
 */
export function subtitleOf(values: Record<string, unknown>, title: string | null, q: string): string | undefined {
  const texts = Object.values(values).filter((v): v is string => typeof v === 'string' && v.trim() !== '' && v !== title);
  const needle = q.toLowerCase();
  return texts.find((v) => v.toLowerCase().includes(needle)) ?? texts[0];
}

export interface RankedGroup {
  entity: string;
  /** Whether a record's title equals the query (case-insensitive). */
  exact: boolean;
  /** Position of the entity in the published metadata. */
  position: number;
}

/**
 * Groups with an exact title match first, then leads, accounts, contacts and
 * opportunities, then the rest in metadata order.
 *
 *   rankGroups([{entity:'tasks',exact:false,position:0}, {entity:'accounts',exact:false,position:5}])
 *     -> accounts, tasks
 */
export function rankGroups<G extends RankedGroup>(groups: readonly G[]): G[] {
  const preference = (e: string) => {
    const i = (PREFERRED_ENTITIES as readonly string[]).indexOf(e);
    return i < 0 ? PREFERRED_ENTITIES.length : i;
  };
  return [...groups].sort((a, b) => Number(b.exact) - Number(a.exact) || preference(a.entity) - preference(b.entity) || a.position - b.position);
}
