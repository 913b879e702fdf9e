/**
 * Formulas as people write them (`round(quantity * unit_price * (1 - discount / 100), 2)`)
 * to and from the stored json-logic form that the server checks and compiles
 * to SQL. Only a parser: nothing typed here is ever evaluated in the browser.
 */
export class FormulaSyntaxError extends Error {
  constructor(message: string, readonly at: number) { super(message); }
}

type Tok = { t: 'num' | 'str' | 'id' | 'op' | 'punc'; v: string; at: number };
const FUNCS = new Set(['round', 'abs', 'min', 'max', 'concat', 'if', 'isEmpty']);
const OPS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '+', '-', '*', '/', '!'];

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (/[0-9.]/.test(c)) {
      const m = /^(?:\d+\.?\d*|\.\d+)/.exec(src.slice(i))!;
      out.push({ t: 'num', v: m[0], at: i }); i += m[0].length; continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1; let s = '';
      while (j < src.length && src[j] !== c) { if (src[j] === '\\' && j + 1 < src.length) j++; s += src[j]; j++; }
      if (j >= src.length) throw new FormulaSyntaxError('unterminated text', i);
      out.push({ t: 'str', v: s, at: i }); i = j + 1; continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      out.push({ t: 'id', v: m[0], at: i }); i += m[0].length; continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op) { out.push({ t: 'op', v: op, at: i }); i += op.length; continue; }
    if (c === '(' || c === ')' || c === ',') { out.push({ t: 'punc', v: c, at: i }); i++; continue; }
    throw new FormulaSyntaxError(`unexpected "${c}"`, i);
  }
  return out;
}

const LEVELS: string[][] = [['||', 'or'], ['&&', 'and'], ['==', '!=', '<', '<=', '>', '>='], ['+', '-'], ['*', '/']];
const CANON: Record<string, string> = { '||': 'or', '&&': 'and' };
const FLAT = new Set(['+', '*', 'and', 'or']);

export function parseFormula(src: string): unknown {
  if (!src.trim()) return null;
  const toks = lex(src);
  let pos = 0;
  const peek = () => toks[pos];
  const word = (tk: Tok | undefined) => tk && (tk.t === 'op' || (tk.t === 'id' && (tk.v === 'and' || tk.v === 'or' || tk.v === 'not'))) ? tk.v : undefined;
  const expect = (v: string) => {
    const tk = toks[pos];
    if (!tk || tk.v !== v) throw new FormulaSyntaxError(`expected "${v}"`, tk?.at ?? src.length);
    pos++;
  };
  const binary = (level: number): unknown => {
    if (level === LEVELS.length) return unary();
    let left = binary(level + 1);
    for (;;) {
      const w = word(peek());
      if (!w || !LEVELS[level]!.includes(w)) return left;
      pos++;
      const op = CANON[w] ?? w;
      const right = binary(level + 1);
      const l = left as Record<string, unknown[]>;
      left = FLAT.has(op) && l && typeof l === 'object' && Array.isArray(l[op]) && Object.keys(l).length === 1 ? { [op]: [...l[op]!, right] } : { [op]: [left, right] };
      if (level === 2) return left; // comparisons do not chain
    }
  };
  const unary = (): unknown => {
    const w = word(peek());
    if (w === '-') { pos++; const x = unary(); return typeof x === 'number' ? -x : { '-': [x] }; }
    if (w === '!' || w === 'not') { pos++; return { '!': [unary()] }; }
    return primary();
  };
  const primary = (): unknown => {
    const tk = toks[pos++];
    if (!tk) throw new FormulaSyntaxError('unexpected end', src.length);
    if (tk.t === 'num') return Number(tk.v);
    if (tk.t === 'str') return tk.v;
    if (tk.t === 'punc' && tk.v === '(') { const x = binary(0); expect(')'); return x; }
    if (tk.t === 'id') {
      if (tk.v === 'true') return true;
      if (tk.v === 'false') return false;
      if (tk.v === 'null') return null;
      if (peek()?.v === '(') {
        if (!FUNCS.has(tk.v)) throw new FormulaSyntaxError(`unknown function ${tk.v}`, tk.at);
        pos++;
        const args: unknown[] = [];
        if (peek()?.v !== ')') {
          for (;;) { args.push(binary(0)); if (peek()?.v === ',') { pos++; continue; } break; }
        }
        expect(')');
        return { [tk.v]: args };
      }
      return { var: tk.v };
    }
    throw new FormulaSyntaxError(`unexpected "${tk.v}"`, tk.at);
  };
  const out = binary(0);
  if (pos < toks.length) throw new FormulaSyntaxError(`unexpected "${toks[pos]!.v}"`, toks[pos]!.at);
  return out;
}

const PREC: Record<string, number> = { or: 0, and: 1, '==': 2, '!=': 2, '<': 2, '<=': 2, '>': 2, '>=': 2, '+': 3, '-': 3, '*': 4, '/': 4 };
const SHOW: Record<string, string> = { or: ' or ', and: ' and ' };

/** The text form of a stored formula (what the editor shows); `null` for an empty one. */
export function formatFormula(x: unknown, parent = -2, right = false): string {
  if (x === null || x === undefined) return parent === -2 ? '' : 'null';
  if (typeof x === 'number' || typeof x === 'boolean') return String(x);
  if (typeof x === 'string') return JSON.stringify(x);
  if (typeof x !== 'object' || Array.isArray(x)) return JSON.stringify(x);
  const [op, raw] = Object.entries(x)[0] ?? ['', []];
  const args = Array.isArray(raw) ? raw : [raw];
  if (op === 'var') return String(args[0]);
  if (op === '!' && args.length === 1) return `not ${formatFormula(args[0], 5)}`;
  if (op === '-' && args.length === 1) return `-${formatFormula(args[0], 5)}`;
  const p = PREC[op];
  if (p !== undefined && args.length >= 2) {
    const text = args.map((a, i) => formatFormula(a, p, i > 0)).join(SHOW[op] ?? ` ${op} `);
    return p < parent || (p === parent && right) ? `(${text})` : text;
  }
  return `${op}(${args.map((a) => formatFormula(a, -1)).join(', ')})`;
}
