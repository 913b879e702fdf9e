import { sql, type RawBuilder } from 'kysely';

/**
 * Formula expressions (validated by @crm/metadata: allowlisted operators over
 * the record's own fields) compiled to SQL, so arithmetic on money is exact
 * numeric arithmetic in PostgreSQL, never JS floats. Division by zero gives
 * empty (null), not an error.
 *
 *   {"*": [{"var": "quantity"}, {"var": "unit_price"}]} -> ("quantity" * "unit_price")
 */
export class FormulaCompileError extends Error {}

const IDENT = /^[a-z][a-z0-9_]{0,62}$/;

export function compileFormula(expr: unknown, columns: ReadonlySet<string>, depth = 0): RawBuilder<unknown> {
  if (depth > 20) throw new FormulaCompileError('too deep');
  if (expr === null) return sql`null`;
  if (typeof expr === 'number') {
    if (!Number.isFinite(expr)) throw new FormulaCompileError('bad number');
    return sql`${String(expr)}::numeric`;
  }
  if (typeof expr === 'string') return sql`${expr}::text`;
  if (typeof expr === 'boolean') return sql`${expr}::boolean`;
  if (!expr || typeof expr !== 'object' || Array.isArray(expr)) throw new FormulaCompileError('bad node');
  const keys = Object.keys(expr);
  if (keys.length !== 1) throw new FormulaCompileError('one operator per node');
  const op = keys[0]!;
  const raw = (expr as Record<string, unknown>)[op];
  const args = Array.isArray(raw) ? raw : [raw];
  const sub = (x: unknown) => compileFormula(x, columns, depth + 1);
  const all = () => args.map(sub);
  switch (op) {
    case 'var': {
      const name = args[0];
      if (typeof name !== 'string' || !IDENT.test(name) || !columns.has(name)) throw new FormulaCompileError(`unknown field ${String(name)}`);
      return sql.ref(name);
    }
    case '+': return sql`(${sql.join(all(), sql` + `)})`;
    case '*': return sql`(${sql.join(all(), sql` * `)})`;
    case '-': return args.length === 1 ? sql`(- ${sub(args[0])})` : sql`(${sql.join(all(), sql` - `)})`;
    case '/': return sql`(${sub(args[0])} / nullif(${sub(args[1])}, 0))`;
    case 'round': return sql`round((${sub(args[0])})::numeric, ${args.length > 1 ? sub(args[1]) : sql`0`}::int)`;
    case 'abs': return sql`abs(${sub(args[0])})`;
    case 'min': return sql`least(${sql.join(all())})`;
    case 'max': return sql`greatest(${sql.join(all())})`;
    case 'concat': return sql`concat(${sql.join(all())})`;
    case 'if': return sql`(case when coalesce(${sub(args[0])}, false) then ${sub(args[1])} else ${args.length > 2 ? sub(args[2]) : sql`null`} end)`;
    case '==': return sql`(${sub(args[0])} is not distinct from ${sub(args[1])})`;
    case '!=': return sql`(${sub(args[0])} is distinct from ${sub(args[1])})`;
    case '<': case '<=': case '>': case '>=': return sql`(${sub(args[0])} ${sql.raw(op)} ${sub(args[1])})`;
    case 'and': return sql`(${sql.join(all(), sql` and `)})`;
    case 'or': return sql`(${sql.join(all(), sql` or `)})`;
    case '!': return sql`(not coalesce(${sub(args[0])}, false))`;
    case 'isEmpty': return sql`(${sub(args[0])} is null)`;
    default:
      throw new FormulaCompileError(`unsupported operator ${op}`);
  }
}
