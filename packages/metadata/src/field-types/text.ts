import { Type } from '@sinclair/typebox';
import { L, nullable, num, textType } from './helpers.js';

/** One line of text: 255 characters unless `maxLength` says otherwise (at most 1000). */
export const text = textType('text', L('单行文本', 'Text'), Type.Object({ maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }), (f) =>
  nullable(Type.String({ maxLength: num(f, 'maxLength', 255) })),
);
