import { Type } from '@sinclair/typebox';
import { nullable, textType } from './helpers.js';

export const url = textType('url', Type.Object({}), () => nullable(Type.String({ pattern: '^https?://', maxLength: 2000 })), {
  supports: { unique: true, indexed: true, searchable: false },
});
