import { Type } from '@sinclair/typebox';
import { nullable, textType } from './helpers.js';

/** Numbers like CT-2026-0001 from a counter row per entity and period; computed by the server. */
export const autonumber = textType(
  'autonumber',
  Type.Object({ pattern: Type.String({ pattern: '^[^{}]*(\\{(YYYY|YY|MM|DD)\\}[^{}]*)*\\{0{1,12}\\}[^{}]*$', maxLength: 60 }) }),
  () => nullable(Type.String()),
  { computed: true },
);
