import { Type, type Static } from '@sinclair/typebox';
import { Id, Label, SchemaVersion } from './common.js';

const SEMVER = '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?$';

/** A template package's manifest: identity, version and what it needs. */
export const Manifest = Type.Object(
  {
    id: Id,
    schemaVersion: SchemaVersion,
    name: Label,
    version: Type.String({ pattern: SEMVER }),
    description: Type.Optional(Label),
    requires: Type.Optional(
      Type.Object({ platform: Type.Optional(Type.String({ maxLength: 100 })), templates: Type.Optional(Type.Record(Id, Type.String({ maxLength: 100 }))) }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);
export type Manifest = Static<typeof Manifest>;
