import type { FormInstance } from 'antd';
import { ApiError } from '@crm/ui';
import { fieldErrors } from './admin-ops.js';

/**
 * Shows a failed request on the form: each server detail on its field
 * (red border and help text), and returns what belongs to no field for an
 * alert above the buttons. Field errors clear when the user edits the field.
 */
export function placeErrors(form: FormInstance, err: unknown, byCode: Readonly<Record<string, string>> = {}): string[] {
  if (!(err instanceof ApiError)) return [(err as Error)?.message ?? String(err)];
  const names = Object.keys(form.getFieldsValue(true));
  const { fields, rest } = fieldErrors(err, names, byCode);
  form.setFields(Object.entries(fields).map(([name, errors]) => ({ name, errors })));
  return rest;
}
