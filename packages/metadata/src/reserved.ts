/**
 * PostgreSQL reserved keywords: `pg_get_keywords()` category R, the 78 words
 * of PostgreSQL 16–18 (checked against 18.4; 15 has the same list without
 * `system_user`). tests/reserved-keywords.test.ts checks it against the
 * running server. Keys are never any of these, so generated SQL and later
 * APIs (OpenAPI, exports) never trip on them.
 */
export const PG_RESERVED: ReadonlySet<string> = new Set([
  'all', 'analyse', 'analyze', 'and', 'any', 'array', 'as', 'asc', 'asymmetric', 'both', 'case', 'cast', 'check',
  'collate', 'column', 'constraint', 'create', 'current_catalog', 'current_date', 'current_role', 'current_time',
  'current_timestamp', 'current_user', 'default', 'deferrable', 'desc', 'distinct', 'do', 'else', 'end', 'except',
  'false', 'fetch', 'for', 'foreign', 'from', 'grant', 'group', 'having', 'in', 'initially', 'intersect', 'into',
  'lateral', 'leading', 'limit', 'localtime', 'localtimestamp', 'not', 'null', 'offset', 'on', 'only', 'or', 'order',
  'placing', 'primary', 'references', 'returning', 'select', 'session_user', 'some', 'symmetric', 'system_user',
  'table', 'then', 'to', 'trailing', 'true', 'union', 'unique', 'user', 'using', 'variadic', 'when', 'where',
  'window', 'with',
]);

/** Columns every entity table has (or may get: `search_pinyin` with searchable text fields); a field may not take their names. */
export const SYSTEM_COLUMNS: ReadonlySet<string> = new Set(['id', 'created_at', 'updated_at', 'created_by', 'updated_by', 'owner_id', 'version', 'deleted_at', 'last_activity_at', 'search_pinyin']);

/** Names that reach JavaScript objects (records on the wire): never keys. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
