import type { RuleSchema, VarSpec } from '@crm/rules';
import { fieldTypes } from './field-types/registry.js';
import { FIELD_TYPES, type FieldLike } from './field-types/field-type.js';
import { optionKeys } from './field-types/options.js';

interface EntityLike {
  ownership?: string;
  hasActivities?: boolean;
  fields: readonly FieldLike[];
}

/**
 * The variables a rule on this entity may read: its live (not archived)
 * filterable fields, the readable system columns, `$user.id` and `$now`.
 * Automations add `$previous.*` with `{ previous: true }`.
 */
export function ruleSchemaFor(entity: EntityLike, opts: { previous?: boolean } = {}): RuleSchema {
  const vars: Record<string, VarSpec> = {
    id: { kind: 'uuid' },
    created_at: { kind: 'datetime' },
    updated_at: { kind: 'datetime' },
    created_by: { kind: 'uuid' },
    updated_by: { kind: 'uuid' },
    '$user.id': { kind: 'uuid' },
    '$now': { kind: 'datetime' },
  };
  if ((entity.ownership ?? 'owned') === 'owned') vars.owner_id = { kind: 'uuid' };
  if (entity.hasActivities) vars.last_activity_at = { kind: 'datetime' };
  for (const f of entity.fields) {
    if (f.archived || !(FIELD_TYPES as readonly string[]).includes(f.type)) continue;
    const kind = fieldTypes[f.type].valueKind(f);
    if (!kind) continue;
    const options = f.type === 'select' || f.type === 'multiselect' ? optionKeys(f) : undefined;
    const spec: VarSpec = options ? { kind, options } : { kind };
    vars[f.key] = spec;
    if (opts.previous) vars[`$previous.${f.key}`] = spec;
  }
  return { vars };
}
