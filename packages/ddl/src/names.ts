import { createHash } from 'node:crypto';

const IDENT = /^[a-z][a-z0-9_]{0,62}$/;

/** Identifiers reach DDL only through here: metadata has checked them, this refuses anything else regardless. */
export function assertIdent(name: string): string {
  if (!IDENT.test(name)) throw new Error(`ddl: refusing identifier ${JSON.stringify(name)}`);
  return name;
}

const SQL_TYPE = /^(text|bigint|boolean|date|timestamptz|uuid|jsonb|integer|text\[\]|numeric\((\d{1,4}),(\d{1,4})\))$/;

/** Column types come from the field-type registry; still checked before they are written into DDL. */
export function assertSqlType(t: string): string {
  if (!SQL_TYPE.test(t)) throw new Error(`ddl: refusing column type ${JSON.stringify(t)}`);
  return t;
}

/** Deterministic index names within PostgreSQL's 63-byte limit. */
export function indexName(table: string, column: string, kind: string): string {
  const suffix = { unique: 'uq', btree: 'ix', trigram: 'trgm', grams: 'grams' }[kind] ?? kind;
  const plain = `${table}_${column}_${suffix}`;
  if (plain.length <= 63) return plain;
  const h = createHash('sha1').update(plain).digest('hex').slice(0, 8);
  return `${plain.slice(0, 63 - suffix.length - 10)}_${h}_${suffix}`;
}

/** numeric(p,s) -> { precision, scale }; undefined for other types. */
export function numericParts(t: string): { precision: number; scale: number } | undefined {
  const m = /^numeric\((\d+),(\d+)\)$/.exec(t);
  return m ? { precision: Number(m[1]), scale: Number(m[2]) } : undefined;
}

export function baseType(t: string): string {
  return t.startsWith('numeric(') ? 'numeric' : t;
}
