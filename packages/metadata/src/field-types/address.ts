import { Type } from '@sinclair/typebox';
import { defineFieldType } from './field-type.js';
import { L, nullable } from './helpers.js';

/** 省 / 市 / 区 / 详细地址, in that order; each is its own text column `<key>_<part>`. */
export const ADDRESS_PARTS = ['province', 'city', 'district', 'detail'] as const;

/** Four text columns, filled by normalisation; not filterable or sortable as a whole. */
export const address = defineFieldType({
  type: 'address',
  label: L('地址', 'Address'),
  settings: Type.Object({}),
  columns: (f) => ADDRESS_PARTS.map((p) => ({ name: `${f.key}_${p}`, sqlType: 'text' })),
  valueKind: () => null,
  operators: [],
  wireSchema: () =>
    nullable(Type.Object(Object.fromEntries(ADDRESS_PARTS.map((p) => [p, Type.Optional(nullable(Type.String({ maxLength: p === 'detail' ? 500 : 100 })))])), { additionalProperties: false })),
  computed: false,
  sortable: false,
  supports: { unique: false, indexed: false, searchable: true },
});
