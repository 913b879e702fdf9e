import { inspectJson } from './json.js';
import { PREVIOUS_PREFIX } from './nodes.js';
import { RULE_LIMITS } from './types.js';

export type Lang = 'zh-CN' | 'en';

interface Words {
  and: string; or: string; not(s: string): string; group(s: string): string;
  cmp: Record<'==' | '!=' | '<' | '<=' | '>' | '>=', string>;
  in: string; contains: string; startsWith: string; isEmpty: string; notEmpty: string;
  daysAgo(n: number): string; daysFromNow(n: number): string; today: string;
  yes: string; no: string; listSep: string;
  context: Record<string, string>; previous(label: string): string;
}

const words: Readonly<Record<Lang, Words>> = {
  'zh-CN': {
    and: ' 且 ', or: ' 或 ', not: (s) => `并非（${s}）`, group: (s) => `（${s}）`,
    cmp: { '==': '为', '!=': '不为', '<': '<', '<=': '≤', '>': '>', '>=': '≥' },
    in: '属于', contains: '包含', startsWith: '开头为', isEmpty: '为空', notEmpty: '不为空',
    daysAgo: (n) => `${n} 天前`, daysFromNow: (n) => `${n} 天后`, today: '今天',
    yes: '是', no: '否', listSep: '、',
    context: { $now: '当前时间', '$user.id': '当前用户', '$user.teams': '当前用户的团队' },
    previous: (l) => `${l}（修改前）`,
  },
  en: {
    and: ' and ', or: ' or ', not: (s) => `not (${s})`, group: (s) => `(${s})`,
    cmp: { '==': 'is', '!=': 'is not', '<': '<', '<=': '≤', '>': '>', '>=': '≥' },
    in: 'is one of', contains: 'contains', startsWith: 'starts with', isEmpty: 'is empty', notEmpty: 'is not empty',
    daysAgo: (n) => (n === 1 ? '1 day ago' : `${n} days ago`), daysFromNow: (n) => (n === 1 ? 'in 1 day' : `in ${n} days`), today: 'today',
    yes: 'yes', no: 'no', listSep: ', ',
    context: { $now: 'now', '$user.id': 'the current user', '$user.teams': "the current user's teams" },
    previous: (l) => `${l} (before the change)`,
  },
};

type Labels = (varName: string) => string | undefined;
type OptionLabels = (varName: string, key: string) => string | undefined;

/**
 * A rule in plain words, for lists of saved views, automation summaries and
 * audit entries:
 *
 *   explain({"and": [{">": [{"var": "amount"}, 1000]}, {"==": [{"var": "stage"}, "won"]}]}, 'zh-CN',
 *           (v) => ({ amount: '金额', stage: '阶段' })[v], (v, k) => (v === 'stage' && k === 'won' ? '赢单' : undefined))
 *   -> "金额 > 1000 且 阶段 为 赢单"
 *
 * `labels` names variables (default: the key), `optionLabels` select options
 * (default: the key). Needs no schema; returns '' for input that is not a
 * well-formed rule of the language. Never throws.
 */
export function explain(rule: unknown, lang: Lang, labels?: Labels, optionLabels?: OptionLabels): string {
  if (inspectJson(rule, RULE_LIMITS)) return '';
  const w = words[lang] ?? words['zh-CN'];
  try {
    return new Explainer(w, labels, optionLabels).condition(rule, false) ?? '';
  } catch {
    return ''; // a caller's label function threw
  }
}

type Op = string;
const single = (x: unknown): [Op, unknown[]] | undefined => {
  if (!x || typeof x !== 'object' || Array.isArray(x)) return undefined;
  const keys = Object.keys(x);
  if (keys.length !== 1) return undefined;
  const raw = (x as Record<string, unknown>)[keys[0]!];
  return [keys[0]!, Array.isArray(raw) ? raw : [raw]];
};

const CONDITIONS: Readonly<Record<string, (e: Explainer, args: unknown[], nested: boolean) => string | undefined>> = {
  and: (e, args, nested) => e.junction('and', args, nested),
  or: (e, args, nested) => e.junction('or', args, nested),
  '!': (e, args) => e.not(args),
  '==': (e, args) => e.compare('==', args),
  '!=': (e, args) => e.compare('!=', args),
  '<': (e, args) => e.compare('<', args),
  '<=': (e, args) => e.compare('<=', args),
  '>': (e, args) => e.compare('>', args),
  '>=': (e, args) => e.compare('>=', args),
  in: (e, args) => e.inList(args),
  contains: (e, args) => e.binary('contains', args),
  startsWith: (e, args) => e.binary('startsWith', args),
  isEmpty: (e, args) => e.isEmpty(args),
};

class Explainer {
  constructor(private readonly w: Words, private readonly labels?: Labels, private readonly optionLabels?: OptionLabels) {}

  condition(x: unknown, nested: boolean): string | undefined {
    const s = single(x);
    if (!s || !Object.hasOwn(CONDITIONS, s[0])) return undefined;
    return CONDITIONS[s[0]]!(this, s[1], nested);
  }

  junction(kind: 'and' | 'or', args: unknown[], nested: boolean): string | undefined {
    if (args.length === 0) return undefined;
    const parts = args.map((a) => this.condition(a, true));
    if (parts.some((p) => p === undefined)) return undefined;
    const s = parts.join(this.w[kind]);
    return nested && args.length > 1 ? this.w.group(s) : s;
  }

  not(args: unknown[]): string | undefined {
    if (args.length !== 1) return undefined;
    const s = single(args[0]);
    if (s && s[0] === 'isEmpty' && s[1].length === 1) {
      const v = this.varName(s[1][0]);
      return v === undefined ? undefined : `${this.label(v)} ${this.w.notEmpty}`;
    }
    const inner = this.condition(args[0], false);
    return inner === undefined ? undefined : this.w.not(inner);
  }

  compare(op: keyof Words['cmp'], args: unknown[]): string | undefined {
    if (args.length !== 2) return undefined;
    const name = this.varName(args[0]) ?? this.varName(args[1]);
    const a = this.value(args[0], name);
    const b = this.value(args[1], name);
    return a === undefined || b === undefined ? undefined : `${a} ${this.w.cmp[op]} ${b}`;
  }

  inList(args: unknown[]): string | undefined {
    const name = this.varName(args[0]);
    const list = args[1];
    if (args.length !== 2 || name === undefined || !Array.isArray(list)) return undefined;
    const items = list.map((v) => this.value(v, name));
    if (items.some((i) => i === undefined)) return undefined;
    return `${this.label(name)} ${this.w.in} ${items.join(this.w.listSep)}`;
  }

  binary(op: 'contains' | 'startsWith', args: unknown[]): string | undefined {
    const name = this.varName(args[0]);
    if (args.length !== 2 || name === undefined || typeof args[1] !== 'string') return undefined;
    return `${this.label(name)} ${this.w[op]} ${this.value(args[1], name)}`;
  }

  isEmpty(args: unknown[]): string | undefined {
    const name = args.length === 1 ? this.varName(args[0]) : undefined;
    return name === undefined ? undefined : `${this.label(name)} ${this.w.isEmpty}`;
  }

  private varName(x: unknown): string | undefined {
    const s = single(x);
    if (!s || s[0] !== 'var' || s[1].length !== 1) return undefined;
    return typeof s[1][0] === 'string' ? s[1][0] : undefined;
  }

  private label(name: string): string {
    if (Object.hasOwn(this.w.context, name)) return this.labels?.(name) ?? this.w.context[name]!;
    if (name.startsWith(PREVIOUS_PREFIX)) {
      const key = name.slice(PREVIOUS_PREFIX.length);
      return this.labels?.(name) ?? this.w.previous(this.labels?.(key) ?? key);
    }
    return this.labels?.(name) ?? name;
  }

  /** A literal, a variable or a date helper, as words. */
  private value(x: unknown, against: string | undefined): string | undefined {
    if (typeof x === 'string') return (against !== undefined ? this.optionLabels?.(against, x) : undefined) ?? x;
    if (typeof x === 'number') return Number.isFinite(x) ? String(x) : undefined;
    if (typeof x === 'boolean') return x ? this.w.yes : this.w.no;
    const s = single(x);
    if (!s) return undefined;
    if (s[0] === 'var') {
      const name = this.varName(x);
      return name === undefined ? undefined : this.label(name);
    }
    if ((s[0] === 'daysAgo' || s[0] === 'daysFromNow') && s[1].length === 1 && Number.isSafeInteger(s[1][0])) {
      const n = (s[1][0] as number) * (s[0] === 'daysAgo' ? -1 : 1);
      return n === 0 ? this.w.today : n < 0 ? this.w.daysAgo(-n) : this.w.daysFromNow(n);
    }
    return undefined;
  }
}
