/**
 * The 360° timeline: activities and tasks linked to the record and the
 * record's own changes (audit history), merged newest first. Each source
 * comes from an API that already applied the caller's permissions.
 */
export type TimelineItem =
  | { kind: 'activity'; entity: string; id: string; at: string; record: Record<string, unknown> }
  | { kind: 'change'; at: string; action: string; actorId?: string | null; changes: Record<string, unknown>; via?: AutomationVia };

/** When an activity happened: its first datetime field with a value (occurred_at, due, ...), else when it was created. */
export function activityTime(record: Record<string, unknown>, datetimeKeys: readonly string[]): string {
  for (const k of datetimeKeys) {
    const v = record[k];
    if (typeof v === 'string' && v) return v;
  }
  return String(record.created_at ?? '');
}

export function mergeTimeline(groups: readonly TimelineItem[][]): TimelineItem[] {
  return groups.flat().sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

/** An automation's write: which flow (its published label), and the rule's reason when it gave one. */
export interface AutomationVia {
  flow: string;
  label: { 'zh-CN'?: string; en?: string } | null;
  run: string;
  by: string | null;
  reason?: { 'zh-CN': string; en: string };
}
