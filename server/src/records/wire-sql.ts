import { sql, type RawBuilder } from 'kysely';
import { ADDRESS_PARTS, type Field } from '@crm/metadata';

/**
 * A field of a row as its wire value, computed in SQL (for audit rows written
 * by the same statement as the change). Matches `toWire`: decimals and dates
 * as strings, datetimes as ISO UTC with milliseconds, an address as one object
 * or null.
 */
export function wireSql(f: Field, alias: string): RawBuilder<unknown> {
  const col = (name: string) => sql.ref(`${alias}.${name}`);
  switch (f.type) {
    case 'decimal': case 'currency': case 'percent': case 'date':
      return sql`to_jsonb(${col(f.key)}::text)`;
    case 'datetime':
      return sql`to_jsonb(to_char(${col(f.key)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`;
    case 'address': {
      const parts = ADDRESS_PARTS.map((p) => col(`${f.key}_${p}`));
      return sql`case when ${sql.join(parts.map((p) => sql`${p} is null`), sql` and `)} then 'null'::jsonb
        else jsonb_build_object(${sql.join(ADDRESS_PARTS.map((p, i) => sql`${p}::text, ${parts[i]}`))}) end`;
    }
    default:
      return sql`to_jsonb(${col(f.key)})`;
  }
}

/** Whether a field differs between two aliases of the same table. */
export function changedSql(f: Field, a: string, b: string): RawBuilder<unknown> {
  const cols = f.type === 'address' ? ADDRESS_PARTS.map((p) => `${f.key}_${p}`) : [f.key];
  return sql`(${sql.join(cols.map((c) => sql`${sql.ref(`${a}.${c}`)} is distinct from ${sql.ref(`${b}.${c}`)}`), sql` or `)})`;
}
