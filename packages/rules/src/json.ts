import type { RuleIssue } from './types.js';

/** Keys that are never accepted anywhere in a rule (prototype pollution, json-logic advisory 1542). */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** RFC 6901 escaping of one pointer segment. */
export const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

const notJson = (pointer: string): RuleIssue => ({ pointer, code: 'RULE_NOT_OBJECT', params: { reason: 'not JSON' } });

/**
 * Looks at a rule as data before anything interprets it: only plain JSON
 * (null, booleans, numbers, strings, arrays, plain objects with data
 * properties), no forbidden key anywhere, nesting bounded by `maxDepth`, and
 * its JSON text at most `maxBytes` of UTF-8. Never calls a getter, `toJSON`
 * or any other code of the value, and stops counting as soon as the limit is
 * passed (a 1 MB rule costs no more than a 16 KB one). Returns the first
 * problem, or undefined.
 */
export function inspectJson(rule: unknown, limits: { maxBytes: number; maxDepth: number }): RuleIssue | undefined {
  // A condition level is two JSON levels ({"and": [ ... ]}); a leaf adds at most four.
  const maxNesting = 2 * limits.maxDepth + 6;
  const tooLarge: RuleIssue = { pointer: '', code: 'RULE_TOO_LARGE', params: { max: limits.maxBytes } };
  let bytes = 0;
  const walk = (x: unknown, at: string, nesting: number): RuleIssue | undefined => {
    if (x === null) bytes += 4;
    else if (typeof x === 'boolean') bytes += x ? 4 : 5;
    else if (typeof x === 'number') bytes += Number.isFinite(x) ? String(x).length : 4;
    else if (typeof x === 'string') bytes += jsonStringBytes(x);
    else if (typeof x === 'object') {
      if (nesting >= maxNesting) return { pointer: at, code: 'RULE_TOO_DEEP', params: { max: limits.maxDepth } };
      if (Array.isArray(x)) {
        bytes += 2 + Math.max(0, x.length - 1);
        for (let i = 0; i < x.length; i++) {
          if (bytes > limits.maxBytes) return tooLarge;
          const d = Object.getOwnPropertyDescriptor(x, i);
          if (!d || !('value' in d)) return notJson(`${at}/${i}`);
          const issue = walk(d.value, `${at}/${i}`, nesting + 1);
          if (issue) return issue;
        }
      } else {
        const proto: unknown = Object.getPrototypeOf(x);
        if (proto !== Object.prototype && proto !== null) return notJson(at);
        const keys = Object.keys(x);
        bytes += 2 + Math.max(0, keys.length - 1);
        for (const k of keys) {
          if (FORBIDDEN_KEYS.has(k)) return { pointer: `${at}/${esc(k)}`, code: 'RULE_UNKNOWN_OPERATOR', params: { op: k } };
          bytes += jsonStringBytes(k) + 1;
          if (bytes > limits.maxBytes) return tooLarge;
          const d = Object.getOwnPropertyDescriptor(x, k)!;
          if (!('value' in d)) return notJson(`${at}/${esc(k)}`);
          const issue = walk(d.value, `${at}/${esc(k)}`, nesting + 1);
          if (issue) return issue;
        }
      }
    } else return notJson(at); // undefined, function, symbol, bigint
    return bytes > limits.maxBytes ? tooLarge : undefined;
  };
  return walk(rule, '', 0);
}

/** UTF-8 length of `JSON.stringify(s)`, computed without building it. */
function jsonStringBytes(s: string): number {
  let n = 2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x5c || c === 0x08 || c === 0x0c || c === 0x0a || c === 0x0d || c === 0x09) n += 2;
    else if (c < 0x20) n += 6;
    else if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        n += 4;
        i++;
      } else n += 6;
    } else if (c >= 0xdc00 && c <= 0xdfff) n += 6;
    else n += 3;
  }
  return n;
}
