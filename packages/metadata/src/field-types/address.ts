import { Type } from '@sinclair/typebox';
import type { FieldTypeDef } from './field-type.js';
import { nullable } from './helpers.js';

export const ADDRESS_PARTS = ['province', 'city', 'district', 'detail'] as const;

/** Four text columns `<key>_province`, `_city`, `_district`, `_detail` (省/市/区/详细地址). */
export const address: FieldTypeDef = {
  type: 'address',
  settings: Type.Object({}),
  columns: (f) => ADDRESS_PARTS.map((p) => ({ name: `${f.key}_${p}`, sqlType: 'text' })),
  valueKind: () => null,
  operators: [],
  wireSchema: () =>
    nullable(Type.Object(Object.fromEntries(ADDRESS_PARTS.map((p) => [p, Type.Optional(nullable(Type.String({ maxLength: p === 'detail' ? 500 : 100 })))])), { additionalProperties: false })),
  computed: false,
  supports: { unique: false, indexed: false, searchable: true },
};
