/** A decimal literal in a rule: plain notation, no exponent, at most 30 + 20 digits. */
export const DECIMAL_LITERAL = /^-?\d{1,30}(\.\d{1,20})?$/;
/** A decimal on the wire (CONVENTIONS.md §2: PostgreSQL's `numeric::text`). */
export const DECIMAL_WIRE = /^-?\d+(\.\d+)?$/;

/** Exact comparison of decimal strings ("-12000.50" vs "3"), never through floats. */
export function compareDecimal(a: string, b: string): number {
  const pa = split(a);
  const pb = split(b);
  if (pa.zero && pb.zero) return 0;
  if (pa.neg !== pb.neg) return pa.neg ? -1 : 1;
  const mag = compareMagnitude(pa, pb);
  return pa.neg ? -mag : mag;
}

interface Parts { neg: boolean; int: string; frac: string; zero: boolean }

function split(s: string): Parts {
  const neg = s.startsWith('-');
  const body = neg ? s.slice(1) : s;
  const dot = body.indexOf('.');
  const int = (dot < 0 ? body : body.slice(0, dot)).replace(/^0+/, '');
  const frac = dot < 0 ? '' : body.slice(dot + 1).replace(/0+$/, '');
  return { neg, int, frac, zero: int === '' && frac === '' };
}

function compareMagnitude(a: Parts, b: Parts): number {
  if (a.int.length !== b.int.length) return a.int.length < b.int.length ? -1 : 1;
  if (a.int !== b.int) return a.int < b.int ? -1 : 1;
  const n = Math.max(a.frac.length, b.frac.length);
  const fa = a.frac.padEnd(n, '0');
  const fb = b.frac.padEnd(n, '0');
  return fa === fb ? 0 : fa < fb ? -1 : 1;
}
