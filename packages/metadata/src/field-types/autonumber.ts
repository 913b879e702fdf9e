import { Type } from '@sinclair/typebox';
import { L, nullable, textType } from './helpers.js';

/**
 * `CT-{YYYY}-{0000}`: literal text, period parts `{YYYY}` `{YY}` `{MM}` `{DD}`,
 * and exactly one run of zeros, the counter and its minimum width.
 */
export const AUTONUMBER_PATTERN = '^[^{}]*(\\{(YYYY|YY|MM|DD)\\}[^{}]*)*\\{0{1,12}\\}[^{}]*(\\{(YYYY|YY|MM|DD)\\}[^{}]*)*$';

/** Numbers like CT-2026-0001 from a counter row per entity and period, taken in the write's transaction. */
export const autonumber = textType(
  'autonumber',
  L('自动编号', 'Auto number'),
  Type.Object({ pattern: Type.String({ pattern: AUTONUMBER_PATTERN, maxLength: 60 }) }),
  () => nullable(Type.String()),
  { computed: true },
);
