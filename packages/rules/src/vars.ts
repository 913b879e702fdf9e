/** The distinct variables a rule reads, in order of appearance (reference checks, dependency tracking). */
export function vars(rule: unknown): string[] {
  const out = new Set<string>();
  const walk = (x: unknown, depth: number) => {
    if (depth > 64 || !x || typeof x !== 'object') return;
    if (Array.isArray(x)) return x.forEach((v) => walk(v, depth + 1));
    for (const [k, v] of Object.entries(x)) {
      if (k === 'var') {
        const name = Array.isArray(v) ? v[0] : v;
        if (typeof name === 'string') out.add(name);
      } else walk(v, depth + 1);
    }
  };
  walk(rule, 0);
  return [...out];
}
