import { Type } from '@sinclair/typebox';
import { nullable, textType } from './helpers.js';

/** Stored trimmed and lower-cased by the records service. */
export const email = textType('email', Type.Object({}), () => nullable(Type.String({ format: 'email', maxLength: 320 })));
