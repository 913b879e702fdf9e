import { parse, type Node, type Operand } from './parse.js';
import type { RuleSchema } from './types.js';

type Lang = 'zh-CN' | 'en';

const words = {
  'zh-CN': { and: ' 且 ', or: ' 或 ', not: '并非', '==': '等于', '!=': '不等于', '<': '小于', '<=': '不大于', '>': '大于', '>=': '不小于', in: '属于', contains: '包含', startsWith: '开头是', isEmpty: '为空', daysAgo: '{n} 天前', daysFromNow: '{n} 天后', today: '今天' },
  en: { and: ' and ', or: ' or ', not: 'not ', '==': 'is', '!=': 'is not', '<': '<', '<=': '<=', '>': '>', '>=': '>=', in: 'is one of', contains: 'contains', startsWith: 'starts with', isEmpty: 'is empty', daysAgo: '{n} days ago', daysFromNow: 'in {n} days', today: 'today' },
} as const;

/** A rule in plain words, e.g. `金额 大于 1000 且 阶段 等于 won`. Returns '' for a rule that does not validate. */
export function explain(rule: unknown, schema: RuleSchema, lang: Lang, label: (name: string) => string = (n) => n): string {
  const parsed = parse(rule, schema);
  if (!parsed.ok) return '';
  const w = words[lang];
  const operand = (o: Operand): string => {
    if (o.kind === 'var') return label(o.name);
    if (o.kind === 'literal') return String(o.value);
    if (o.offset === 0) return w.today;
    return (o.offset < 0 ? w.daysAgo : w.daysFromNow).replace('{n}', String(Math.abs(o.offset)));
  };
  const text = (n: Node, nested: boolean): string => {
    switch (n.kind) {
      case 'and':
      case 'or': {
        const s = n.args.map((a) => text(a, true)).join(w[n.kind]);
        return nested && n.args.length > 1 ? `(${s})` : s;
      }
      case 'not': return `${w.not}${text(n.arg, true)}`;
      case 'compare': return `${operand(n.left)} ${w[n.op]} ${operand(n.right)}`;
      case 'in': return `${label(n.left.name)} ${w.in} ${n.values.map((v) => String(v.value)).join(lang === 'en' ? ', ' : '、')}`;
      case 'contains': return `${label(n.left.name)} ${w.contains} ${n.value}`;
      case 'startsWith': return `${label(n.left.name)} ${w.startsWith} ${n.value}`;
      case 'isEmpty': return `${label(n.left.name)} ${w.isEmpty}`;
    }
  };
  return text(parsed.node, false);
}
