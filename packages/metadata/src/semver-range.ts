/**
 * Whether a string is a semver range as npm writes them (node-semver's
 * grammar): comparator sets joined by `||`, each a hyphen range `1.2 - 2.0`
 * or comparators `>=1.2.0 <2`, `^1.4`, `~0.3.1`, `1.x`, `*`.
 *
 *   isSemverRange('>=0.1.0')        -> true
 *   isSemverRange('^1.4 || 2.x')    -> true
 *   isSemverRange('newest please')  -> false
 */
const XR = '(?:[xX*]|0|[1-9]\\d*)';
const PARTIAL = `v?${XR}(?:\\.${XR}(?:\\.${XR}(?:-[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?)?)?`;
const COMPARATOR = new RegExp(`^(?:<=|>=|<|>|=|~|\\^)?${PARTIAL}$`);
const HYPHEN = new RegExp(`^(${PARTIAL})\\s+-\\s+(${PARTIAL})$`);

export function isSemverRange(range: string): boolean {
  if (range.length > 100) return false;
  return range.split('||').every((set) => {
    const s = set.trim().replace(/(<=|>=|<|>|=|~|\^)\s+/g, '$1');
    if (!s) return false;
    if (HYPHEN.test(s)) return true;
    return s.split(/\s+/).every((c) => COMPARATOR.test(c));
  });
}
