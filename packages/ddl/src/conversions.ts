import { sql, type RawBuilder } from 'kysely';
import { baseType, numericParts } from './names.js';

/**
 * Column type changes the planner accepts, each with the USING expression and a
 * predicate that is true for a stored value that would NOT convert. Values go
 * through PostgreSQL's own casts (crm.can_cast), so "converts" means exactly
 * what ALTER ... USING would accept; nothing is rounded or truncated silently.
 */
export interface Conversion {
  using(col: RawBuilder<unknown>): RawBuilder<unknown>;
  /** null when every value converts. */
  invalid: ((col: RawBuilder<unknown>) => RawBuilder<boolean>) | null;
}

const TEXT_TARGETS = new Set(['bigint', 'numeric', 'boolean', 'date', 'timestamptz', 'uuid']);
const SCALARS = new Set(['text', 'bigint', 'numeric', 'boolean', 'date', 'timestamptz', 'uuid']);

/** The conversion from one column type to another, or undefined when the pair is not supported. */
export function conversion(from: string, to: string): Conversion | undefined {
  if (from === to) return undefined;
  const f = baseType(from);
  const t = baseType(to);
  const target = sql.raw(to);

  // Anything scalar reads as text.
  if (t === 'text' && SCALARS.has(f)) return { using: (c) => sql`${c}::text`, invalid: null };

  // Text parses into a typed column; blank text becomes empty (null), as the API treats it.
  if (f === 'text' && TEXT_TARGETS.has(t)) {
    return {
      using: (c) => sql`nullif(btrim(${c}), '')::${target}`,
      invalid: (c) => sql<boolean>`(nullif(btrim(${c}), '') is not null and not crm.can_cast(btrim(${c}), ${to}))`,
    };
  }

  if (f === 'bigint' && t === 'numeric') {
    return { using: (c) => sql`${c}::${target}`, invalid: (c) => sql<boolean>`not crm.can_cast(${c}::text, ${to})` };
  }

  if (f === 'numeric' && t === 'numeric') {
    const scale = numericParts(to)!.scale;
    return {
      using: (c) => sql`${c}::${target}`,
      // A smaller scale would round: refuse values that carry more digits, and values too large.
      invalid: (c) => sql<boolean>`(${c} <> round(${c}, ${sql.lit(scale)}) or not crm.can_cast(${c}::text, ${to}))`,
    };
  }

  if (f === 'numeric' && t === 'bigint') {
    return {
      using: (c) => sql`${c}::bigint`,
      invalid: (c) => sql<boolean>`(${c} <> trunc(${c}) or not crm.can_cast(trunc(${c})::text, 'bigint'))`,
    };
  }

  if (f === 'date' && t === 'timestamptz') {
    // Midnight in the session time zone, which publish sets to the workspace's.
    return { using: (c) => sql`${c}::timestamp::timestamptz`, invalid: null };
  }

  if (f === 'text' && to === 'text[]') {
    return { using: (c) => sql`case when nullif(btrim(${c}), '') is null then null else array[${c}] end`, invalid: null };
  }

  if (from === 'text[]' && t === 'text') {
    return { using: (c) => sql`${c}[1]`, invalid: (c) => sql<boolean>`cardinality(${c}) > 1` };
  }

  return undefined;
}
