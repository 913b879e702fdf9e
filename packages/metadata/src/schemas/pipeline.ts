import { Type, type Static } from '@sinclair/typebox';
import { Color, Id, Key, Label, Rule, SchemaVersion, StringEnum } from './common.js';

/** What entering a stage needs: fields that must be filled and/or a rule that must hold. */
export const StageGate = Type.Object(
  { requiredFields: Type.Optional(Type.Array(Key, { maxItems: 100 })), rule: Type.Optional(Rule) },
  { additionalProperties: false, minProperties: 1 },
);

/** A stage is an option of the pipeline's select field: same `id`, same `key`. */
export const Stage = Type.Object(
  {
    id: Id,
    key: Key,
    probability: Type.Integer({ minimum: 0, maximum: 100 }),
    outcome: Type.Optional(StringEnum(['won', 'lost'] as const)),
    color: Type.Optional(Color),
    gate: Type.Optional(StageGate),
  },
  { additionalProperties: false },
);
export type Stage = Static<typeof Stage>;

export const Transition = Type.Object({ from: Key, to: Type.Array(Key, { minItems: 1, maxItems: 50 }) }, { additionalProperties: false });

/**
 * Stages over a select field: order, probabilities, outcomes, gates, and the
 * moves allowed between them: `any`, `forward-one-or-any-outcome` (the next
 * stage, or straight to won / lost), or an explicit from -> to list.
 */
export const Pipeline = Type.Object(
  {
    id: Id,
    entity: Key,
    field: Key,
    schemaVersion: SchemaVersion,
    label: Type.Optional(Label),
    stages: Type.Array(Stage, { minItems: 2, maxItems: 50 }),
    transitions: Type.Union([StringEnum(['any', 'forward-one-or-any-outcome'] as const), Type.Array(Transition, { maxItems: 500 })]),
  },
  { additionalProperties: false },
);
export type Pipeline = Static<typeof Pipeline>;
