import { Type, type Static } from '@sinclair/typebox';
import { Id, Label, LongLabel, SEMVER_PATTERN, SchemaVersion } from './common.js';

/** A semver range as npm writes them (`>=0.1.0`, `^1.4`, `1.x || 2.x`); the grammar is checked by validate (semver-range.ts). */
export const SemverRange = Type.String({ minLength: 1, maxLength: 100 });

/** A template package's manifest: identity, version and what it needs. */
export const Manifest = Type.Object(
  {
    id: Id,
    schemaVersion: SchemaVersion,
    name: Label,
    version: Type.String({ pattern: SEMVER_PATTERN }),
    description: Type.Optional(LongLabel),
    requires: Type.Optional(
      Type.Object({ platform: Type.Optional(SemverRange), templates: Type.Optional(Type.Record(Id, SemverRange, { additionalProperties: false })) }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);
export type Manifest = Static<typeof Manifest>;
