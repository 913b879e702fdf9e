import { Type } from '@sinclair/typebox';
import { nullable, textType } from './helpers.js';

/** E.164 when parseable (normalised on write, default region from the field or CN). */
export const phone = textType('phone', Type.Object({ defaultRegion: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })) }), () =>
  nullable(Type.String({ maxLength: 40 })),
);
