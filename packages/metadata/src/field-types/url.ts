import { Type } from '@sinclair/typebox';
import { L, nullable, textType } from './helpers.js';

/** http(s) links only, so no `javascript:` or `data:` URL reaches a rendered link. */
export const url = textType('url', L('网址', 'URL'), Type.Object({}), () => nullable(Type.String({ pattern: '^[hH][tT][tT][pP][sS]?://\\S+$', maxLength: 2000 })), {
  supports: { unique: true, indexed: true, searchable: false },
});
