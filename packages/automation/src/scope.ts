import type { Duration, ValueExpr } from '@crm/metadata';
import type { Row } from './ports.js';

/** What a running step can read: the trigger record (as it is now), its previous values, trigger data, earlier steps' outputs. */
export interface Scope {
  record: Row;
  previous: Row;
  trigger: Row;
  steps: Record<string, Row>;
  userId: string | null;
  now: Date;
}

const UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;

export const durationMs = (d: Duration): number => d.amount * UNIT_MS[d.unit];
export const addDuration = (at: Date, d: Duration): Date => new Date(at.getTime() + durationMs(d));

/** `record.amount`, `previous.stage`, `trigger.email`, `steps.s2.id`, `$user.id`: a value, or null when there is none. */
export function readVar(path: string, scope: Scope): unknown {
  if (path === '$user.id') return scope.userId;
  const [head, a, b] = path.split('.');
  const own = (o: Row | undefined, k: string | undefined) => (o && k !== undefined && Object.prototype.hasOwnProperty.call(o, k) ? o[k] ?? null : null);
  switch (head) {
    case 'record': return own(scope.record, a);
    case 'previous': return own(scope.previous, a);
    case 'trigger': return own(scope.trigger, a);
    case 'steps': return own(scope.steps[a ?? ''], b);
    default: return null;
  }
}

/** A config value computed for this run. Only the shapes of `ValueExpr` exist: nothing here evaluates code. */
export function resolve(expr: ValueExpr, scope: Scope): unknown {
  if (expr === null || typeof expr !== 'object' || Array.isArray(expr)) return expr;
  if ('var' in expr) return readVar(expr.var, scope);
  if ('template' in expr) return render(expr.template, scope);
  if ('now' in expr) return addDuration(scope.now, expr.now).toISOString();
  return null;
}

export function resolveValues(values: Record<string, ValueExpr>, scope: Scope): Row {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, resolve(v, scope)]));
}

const PLACEHOLDER = /\{\{\s*([$a-z][a-z0-9_.]*)\s*\}\}/gi;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(text).join('、');
  if (typeof v === 'object' && 'title' in (v as Row)) return text((v as Row).title);
  return JSON.stringify(v);
}

/**
 * `跟进 {{record.name}}`: placeholders replaced by values as text. With
 * `html`, every inserted value is escaped (the template's own markup is the
 * designer's; a lead's name is the public's).
 */
export function render(template: string, scope: Scope, opts: { html?: boolean } = {}): string {
  return template.replace(PLACEHOLDER, (_, path: string) => {
    const s = text(readVar(path, scope));
    return opts.html ? escapeHtml(s) : s;
  });
}

/** Placeholders a template reads (the validator checks they exist). */
export const placeholders = (template: string): string[] => [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
