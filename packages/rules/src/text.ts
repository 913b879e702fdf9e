/**
 * Case-insensitive text matching that JavaScript and every PostgreSQL agree on.
 *
 * Only the ASCII letters A-Z fold to a-z. PostgreSQL's `lower(x collate "C")`
 * does exactly that on every server, whatever its locale, provider or version;
 * the database's own `lower()` / `ILIKE` follow the server locale (libc, ICU,
 * C) and JavaScript's `toLowerCase()` follows V8's Unicode tables, and the two
 * disagree on letters such as 'İ' (JS: "i̇", PostgreSQL C.UTF-8: "i"). So
 * 'ACME' matches 'acme', while 'É' and 'é' (or 'Ａ' and 'ａ') are different
 * letters to `contains` / `startsWith`. No Unicode normalisation either.
 */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** Escapes LIKE metacharacters (default escape character `\`) so text matches literally. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A lone UTF-16 surrogate cannot be sent to PostgreSQL as UTF-8; NUL cannot be stored in text. */
export function isStorableText(s: string): boolean {
  return !/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}
