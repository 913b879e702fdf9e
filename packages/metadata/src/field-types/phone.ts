import { Type } from '@sinclair/typebox';
import { L, nullable, textType } from './helpers.js';

/** E.164 when parseable (normalised on write; default region from the field, else CN). */
export const phone = textType('phone', L('电话', 'Phone'), Type.Object({ defaultRegion: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })) }), () =>
  nullable(Type.String({ maxLength: 40 })),
);
