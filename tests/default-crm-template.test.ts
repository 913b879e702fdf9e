import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validate, validateDocument } from '@crm/metadata';
import { readTemplate } from '@crm/server';

const dir = fileURLToPath(new URL('../templates/default-crm', import.meta.url));

describe('default CRM template', () => {
  it('validates with no issues, in both languages', async () => {
    const t = await readTemplate(dir);
    expect(validateDocument('manifest', t.manifest, 'default_crm')).toEqual([]);
    expect(validate(t.documents).map((i) => `${i.code} ${i.kind}/${i.id}${i.pointer}`)).toEqual([]);
    const entities = t.documents.filter((d) => d.kind === 'entity').map((d) => d.body.key);
    expect(entities).toEqual(expect.arrayContaining(['leads', 'accounts', 'contacts', 'opportunities', 'activities', 'tasks', 'products', 'quotes', 'quote_lines',
      'contracts', 'payment_plans', 'installments', 'receipts', 'invoices', 'orders', 'sales_targets']));
    for (const d of t.documents) {
      const label = (d.body.label ?? d.body.name) as { 'zh-CN'?: string; en?: string } | undefined;
      if (label) expect(Boolean(label['zh-CN']) && Boolean(label.en), `${d.kind}/${d.id}`).toBe(true);
    }
  });
});
