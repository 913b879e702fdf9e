import { Type } from '@sinclair/typebox';
import { nullable, num, textType } from './helpers.js';

export const text = textType('text', Type.Object({ maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }), (f) =>
  nullable(Type.String({ maxLength: num(f, 'maxLength', 255) })),
);
