/**
 * CSV as spreadsheets read it: RFC 4180 quoting, CRLF line ends, a UTF-8 BOM
 * (without it Excel reads UTF-8 Chinese as mojibake), and a guard against
 * formula injection (SECURITY-CASES §24): a cell that starts with = + - @ TAB
 * or CR is written with a leading apostrophe, so `=HYPERLINK(...)` typed into
 * a record is shown as text, never run. A plain number (`-12.50`) is left as
 * it is, so negative amounts stay numbers.
 *
 *   csvRow(['=1+1', 'a,"b"', '-12.50']) -> `'=1+1,"a,""b""",-12.50\r\n`
 */

export const BOM = '\uFEFF';

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
const NEEDS_QUOTES = /[",\r\n]/;

/** The cell as a spreadsheet must not evaluate it. */
export function guardFormula(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** One cell: guarded, then quoted when it holds a quote, comma or line break (quotes doubled). */
export function csvCell(text: string): string {
  const guarded = guardFormula(text);
  return NEEDS_QUOTES.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

export function csvRow(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
