import { Col, Form, Row, Tabs, Typography } from 'antd';
import { labelOf, type Label } from './labels.js';
import { widgets, type UiField, type WidgetContext } from './widgets.js';

export interface UiLayout {
  tabs: { id: string; label: Label; sections: { id: string; label?: Label; columns: number; items: ({ kind: 'field'; field: string; span?: number } | { kind: 'relatedList'; entity: string; field: string } | { kind: 'help'; text: Label })[] }[] }[];
}

const COMPUTED = new Set(['formula', 'rollup', 'autonumber', 'lookup']);

/**
 * A form rendered from a layout document: tabs, sections of 1–4 columns,
 * fields with their widget, required marks and the server's error on each
 * field. The designer's preview renders this same component.
 */
export function RecordForm(p: {
  fields: UiField[];
  layout: UiLayout;
  value: Record<string, unknown>;
  onChange: (key: string, v: unknown) => void;
  errors: Record<string, string>;
  ctx: WidgetContext;
  /** Fields shown but not editable (a readOnlyIf rule holds). */
  readOnly?: ReadonlySet<string>;
}) {
  const byKey = new Map(p.fields.map((f) => [f.key, f]));
  const section = (s: UiLayout['tabs'][number]['sections'][number]) => {
    const items = s.items.filter((i) => i.kind !== 'relatedList');
    if (!items.length) return null;
    return (
      <div key={s.id} className="crm-section">
        {s.label && <Typography.Title level={5}>{labelOf(s.label, p.ctx.lang)}</Typography.Title>}
        <Row gutter={16}>
          {items.map((item, i) => {
            if (item.kind === 'help') return <Col key={i} span={24}><Typography.Paragraph type="secondary">{labelOf(item.text, p.ctx.lang)}</Typography.Paragraph></Col>;
            if (item.kind !== 'field') return null;
            const f = byKey.get(item.field);
            if (!f) return null;
            const W = widgets[f.type];
            const error = p.errors[f.key];
            return (
              <Col key={f.key} xs={24} md={Math.round((24 / s.columns) * (item.span ?? 1))}>
                <Form.Item label={labelOf(f.label, p.ctx.lang)} required={!!f.required} validateStatus={error ? 'error' : undefined} help={error} data-field={f.key}>
                  {W.Input({ field: f, value: p.value[f.key] ?? null, onChange: (v) => p.onChange(f.key, v), ctx: p.ctx, disabled: COMPUTED.has(f.type) || !!p.readOnly?.has(f.key) })}
                </Form.Item>
              </Col>
            );
          })}
        </Row>
      </div>
    );
  };
  const tabs = p.layout.tabs;
  if (tabs.length === 1) return <Form layout="vertical">{tabs[0]!.sections.map(section)}</Form>;
  return (
    <Form layout="vertical">
      <Tabs items={tabs.map((t) => ({ key: t.id, label: labelOf(t.label, p.ctx.lang), children: t.sections.map(section) }))} />
    </Form>
  );
}

/** A record's fields read-only, laid out like its form. */
export function RecordDetails(p: { fields: UiField[]; layout: UiLayout; record: Record<string, unknown>; ctx: WidgetContext }) {
  const byKey = new Map(p.fields.map((f) => [f.key, f]));
  return (
    <div>
      {p.layout.tabs.flatMap((t) => t.sections).map((s) => {
        const items = s.items.filter((i): i is { kind: 'field'; field: string } => i.kind === 'field' && byKey.has(i.field));
        if (!items.length) return null;
        return (
          <div key={s.id} className="crm-section">
            {s.label && <Typography.Title level={5}>{labelOf(s.label, p.ctx.lang)}</Typography.Title>}
            <Row gutter={[16, 12]}>
              {items.map((i) => {
                const f = byKey.get(i.field)!;
                return (
                  <Col key={f.key} xs={24} md={Math.round(24 / Math.max(2, s.columns))}>
                    <div className="crm-label">{labelOf(f.label, p.ctx.lang)}</div>
                    <div className="crm-value" data-field={f.key}>{widgets[f.type].Cell({ field: f, value: p.record[f.key] ?? null, ctx: p.ctx, record: p.record })}</div>
                  </Col>
                );
              })}
            </Row>
          </div>
        );
      })}
    </div>
  );
}
