import { Type } from '@sinclair/typebox';
import { L, nullable, textType } from './helpers.js';

/** Stored trimmed and lower-cased by the records service. */
export const email = textType('email', L('邮箱', 'Email'), Type.Object({}), () => nullable(Type.String({ format: 'email', maxLength: 320 })));
