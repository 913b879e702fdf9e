import { Type } from '@sinclair/typebox';
import { defineFieldType } from './field-type.js';
import { CHOICE_OPS, L, nullable } from './helpers.js';
import { Key, StringEnum } from '../schemas/common.js';

export const ON_DELETE = ['restrict', 'cascade', 'keep'] as const;

/**
 * Many-to-one: a uuid column with a foreign key to the target entity's table.
 * `onDelete`, when the target record is (soft-)deleted: `restrict` refuses
 * while records point at it, `cascade` deletes them too, `keep` keeps the link.
 */
export const relation = defineFieldType({
  type: 'relation',
  label: L('关联', 'Relation'),
  settings: Type.Object({ target: Key, onDelete: StringEnum(ON_DELETE) }),
  columns: (f) => [{ name: f.key, sqlType: 'uuid', references: { kind: 'entity', entity: String(f.target) } }],
  valueKind: () => 'uuid',
  operators: CHOICE_OPS,
  wireSchema: () => nullable(Type.String({ format: 'uuid' })),
  computed: false,
  sortable: false,
  supports: { unique: true, indexed: true, searchable: false },
});
