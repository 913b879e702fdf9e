import type { RuleSchema, VarSpec } from '@crm/rules';
import { fieldTypes, isFieldType } from './field-types/registry.js';
import type { FieldLike } from './field-types/field-type.js';
import { optionKeys } from './field-types/options.js';

interface EntityLike {
  ownership?: string;
  hasActivities?: boolean;
  fields: readonly FieldLike[];
}

/**
 * The variables a rule on this entity may read (var name -> kind, options):
 * its live (not archived) filterable fields, the readable system columns,
 * `$user.id` and `$now`; automations add `$previous.<field>` with
 * `{ previous: true }`. The same schema serves validation (here), the
 * records service and the query compiler.
 *
 *   ruleSchemaFor(opportunities).vars.stage -> { kind: 'text', options: ['initial', ..., 'lost'] }
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
  for (const f of Array.isArray(entity.fields) ? entity.fields : []) {
    const type: unknown = f?.type;
    if (!f || typeof f !== 'object' || f.archived === true || typeof f.key !== 'string' || !isFieldType(type)) continue;
    const kind = fieldTypes[type].valueKind(f);
    if (!kind) continue;
    const spec: VarSpec = type === 'select' || type === 'multiselect' ? { kind, options: optionKeys(f) } : { kind };
    vars[f.key] = spec;
    if (opts.previous) vars[`$previous.${f.key}`] = spec;
  }
  return { vars };
}
