import { Type, type Static } from '@sinclair/typebox';
import { Id, Key, Rule, SchemaVersion } from './common.js';

export const Stage = Type.Object(
  {
    id: Id,
    key: Key,
    probability: Type.Integer({ minimum: 0, maximum: 100 }),
    outcome: Type.Optional(Type.Union([Type.Literal('won'), Type.Literal('lost')])),
    color: Type.Optional(Type.String({ pattern: '^#[0-9a-fA-F]{6}$' })),
    gate: Type.Optional(Type.Object({ requiredFields: Type.Optional(Type.Array(Key, { maxItems: 100 })), rule: Type.Optional(Rule) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

/** Stages over a select field: order, probabilities, outcomes, gates and allowed transitions. */
export const Pipeline = Type.Object(
  {
    id: Id,
    entity: Key,
    field: Key,
    schemaVersion: SchemaVersion,
    stages: Type.Array(Stage, { minItems: 2, maxItems: 50 }),
    transitions: Type.Union([
      Type.Literal('any'),
      Type.Literal('forward-one-or-any-outcome'),
      Type.Array(Type.Object({ from: Key, to: Type.Array(Key, { minItems: 1 }) }, { additionalProperties: false }), { maxItems: 500 }),
    ]),
  },
  { additionalProperties: false },
);
export type Pipeline = Static<typeof Pipeline>;
