import type { Kysely } from 'kysely';
import { AppError } from '../errors/app-error.js';
import type { Lang } from '../errors/i18n.js';
import type { Clock } from '../infra/clock.js';
import { BOM, csvRow } from './csv.js';
import { formatForPeople, labelIn, ownerText, type PeopleFormat } from './people-format.js';
import type { Caller, ListParams, RecordsService } from './service.js';

export interface ExportDeps {
  records: RecordsService;
  db: Kysely<any>;
  clock: Clock;
}

export interface ExportParams {
  filter?: unknown;
  sort?: string;
  fields?: string[];
  q?: string;
}

/** Rows one export may hold; above it the caller narrows the filter (a spreadsheet is not a backup). */
export const EXPORT_MAX_ROWS = 100_000;
const PAGE = 500;
const OWNER_LABEL = { 'zh-CN': '负责人', en: 'Owner' };

/**
 * The CSV export of a list: the same filter, sort, search and columns as the
 * list API, read in keyset pages through the records service (so the read
 * predicate is in every page's SQL, and a rep exports exactly the rows they
 * may read), written for people (see people-format.ts) and guarded against
 * formula injection (csv.ts).
 *
 * Everything that can fail is checked before the first byte: unknown fields,
 * a bad filter, more rows than the cap (counted with the same predicate), so
 * an error is a catalogue error with its status, never a half-written file.
 * The export itself is audited (`records.export`: who, filter, row count).
 */
export async function prepareExport(deps: ExportDeps, caller: Caller, entityKey: string, p: ExportParams, lang: Lang, maxRows = EXPORT_MAX_ROWS) {
  const scope = await deps.records.readScope(caller, entityKey);
  // An entity the caller may not read at all is not there for them (the navigation does not show it either).
  if (!scope.readable) throw new AppError('CRM_ERR_NOT_FOUND');
  const m = scope.model;
  const fieldKeys = p.fields ?? [...m.fields.values()].filter((f) => f.type !== 'lookup').map((f) => f.key);
  const relations = fieldKeys.filter((k) => m.fields.get(k)?.type === 'relation');
  const withOwner = m.entity.ownership === 'owned' && !p.fields;
  const query: ListParams = { filter: p.filter, sort: p.sort, q: p.q, fields: fieldKeys, expand: relations, limit: PAGE };

  const first = await deps.records.list(caller, entityKey, { ...query, total: true });
  const total = first.total ?? 0;
  if (total > maxRows) throw new AppError('CRM_ERR_EXPORT_TOO_LARGE', { count: total, max: maxRows });

  const memberRows = await deps.db.selectFrom('crm.workspace_members as wm').innerJoin('crm.users as u', 'u.id', 'wm.user_id')
    .select(['u.id', 'u.name']).where('wm.workspace_id', '=', caller.ws.id).execute();
  const fmt: PeopleFormat = { lang, timeZone: caller.ws.settings.timeZone, members: new Map(memberRows.map((r) => [r.id as string, r.name as string])) };

  await deps.db.insertInto('crm.audit_log').values({
    workspace_id: caller.ws.id, at: deps.clock.now(), actor_id: caller.userId, ip: caller.ip ?? null, entity: m.table, record_id: null,
    action: 'records.export',
    changes: JSON.stringify({ format: 'csv', rows: total, filter: p.filter ?? null, sort: p.sort ?? null, q: p.q ?? null, fields: fieldKeys }),
  }).execute();

  const fields = fieldKeys.map((k) => m.fields.get(k)!);
  const header = [...fields.map((f) => labelIn(f.label, lang) || f.key), ...(withOwner ? [OWNER_LABEL[lang]] : [])];
  const line = (r: Record<string, unknown>) => csvRow([...fields.map((f) => formatForPeople(f, r[f.key], r, fmt)), ...(withOwner ? [ownerText(r.owner_id, fmt)] : [])]);

  async function* lines(): AsyncGenerator<string> {
    yield BOM + csvRow(header);
    let page = first;
    let written = 0;
    for (;;) {
      // One chunk per page: fewer, larger writes to the socket.
      const rows = page.data.slice(0, maxRows - written);
      if (rows.length) yield rows.map(line).join('');
      written += rows.length;
      if (!page.nextCursor || written >= maxRows) return;
      page = await deps.records.list(caller, entityKey, { ...query, cursor: page.nextCursor });
    }
  }

  const date = new Intl.DateTimeFormat('en-CA', { timeZone: caller.ws.settings.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(deps.clock.now()).replaceAll('-', '');
  const name = `${labelIn(m.entity.pluralLabel ?? m.entity.label, lang) || m.table}-${date}.csv`;
  return {
    rows: total,
    lines: lines(),
    // An ASCII name for old clients, the real (possibly Chinese) one per RFC 6266 / 5987.
    disposition: `attachment; filename="${m.table}-${date}.csv"; filename*=UTF-8''${encodeURIComponent(name)}`,
  };
}
