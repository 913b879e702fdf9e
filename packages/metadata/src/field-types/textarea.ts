import { Type } from '@sinclair/typebox';
import { nullable, num, textType } from './helpers.js';

export const textarea = textType('textarea', Type.Object({ maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })) }), (f) =>
  nullable(Type.String({ maxLength: num(f, 'maxLength', 10_000) })),
);
