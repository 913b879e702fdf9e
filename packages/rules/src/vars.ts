import { FORBIDDEN_KEYS } from './json.js';

/**
 * The distinct variables a rule reads, in order of first appearance
 * (reference checks, dependency tracking). Works on any input and never
 * throws; for a rule that does not validate it lists what it can see.
 *
 *   vars({"and": [{">": [{"var": "amount"}, "1"]}, {"==": [{"var": "owner_id"}, {"var": "$user.id"}]}]})
 *   -> ["amount", "owner_id", "$user.id"]
 */
export function vars(rule: unknown): string[] {
  const out = new Set<string>();
  const walk = (x: unknown, depth: number): void => {
    if (depth > 64 || !x || typeof x !== 'object') return;
    if (Array.isArray(x)) {
      for (const v of x) walk(v, depth + 1);
      return;
    }
    for (const k of Object.keys(x)) {
      if (FORBIDDEN_KEYS.has(k)) continue;
      const d = Object.getOwnPropertyDescriptor(x, k);
      if (!d || !('value' in d)) continue;
      if (k === 'var') {
        const name: unknown = Array.isArray(d.value) ? d.value[0] : d.value;
        if (typeof name === 'string') out.add(name);
      } else walk(d.value, depth + 1);
    }
  };
  walk(rule, 0);
  return [...out];
}
