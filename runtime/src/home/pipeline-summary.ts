/**
 * Open opportunities per stage: count and exact amount (decimals arrive as
 * strings, CONVENTIONS.md §2, so they are summed as integers of cents, never
 * as floats).
 *
 *   summarise([{stage: 'initial', amount: '0.10'}, {stage: 'initial', amount: '0.20'}], ['initial'])
 *     -> [{stage: 'initial', count: 2, amount: '0.30'}]
 */
export interface StageSummary {
  stage: string;
  count: number;
  amount: string;
}

/** "12000.5" -> 1200050n (cents); anything else counts as 0. */
export function toCents(v: unknown): bigint {
  if (typeof v !== 'string' || !/^-?\d+(\.\d+)?$/.test(v)) return 0n;
  const neg = v.startsWith('-');
  const [i = '0', f = ''] = v.replace('-', '').split('.');
  const cents = BigInt(i) * 100n + BigInt((f + '00').slice(0, 2));
  return neg ? -cents : cents;
}

export function fromCents(c: bigint): string {
  const neg = c < 0n;
  const a = neg ? -c : c;
  return `${neg ? '-' : ''}${a / 100n}.${String(a % 100n).padStart(2, '0')}`;
}

/** One row per stage in `stages` order (empty stages included); records of other stages are left out. */
export function summarise(records: { stage?: unknown; amount?: unknown }[], stages: string[], amountField = 'amount'): StageSummary[] {
  const acc = new Map(stages.map((s) => [s, { count: 0, cents: 0n }]));
  for (const r of records) {
    const row = acc.get(String(r.stage));
    if (!row) continue;
    row.count++;
    row.cents += toCents((r as Record<string, unknown>)[amountField]);
  }
  return stages.map((s) => ({ stage: s, count: acc.get(s)!.count, amount: fromCents(acc.get(s)!.cents) }));
}

/** A short money figure: 1234567.00 -> "123.5万" (zh) / "1.23M" (en). */
export function shortMoney(amount: string, lang: 'zh-CN' | 'en'): string {
  const n = Number(amount);
  if (lang === 'en') {
    if (Math.abs(n) >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
    if (Math.abs(n) >= 1e3) return `${(n / 1e3).toFixed(1)}K`;
    return n.toFixed(0);
  }
  if (Math.abs(n) >= 1e8) return `${(n / 1e8).toFixed(2)}亿`;
  if (Math.abs(n) >= 1e4) return `${(n / 1e4).toFixed(1)}万`;
  return n.toFixed(0);
}
