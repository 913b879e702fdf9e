import { Alert, Input, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { checkFormula, fillMessage, fitsResultType, formulaVars, metadataMessages } from '@crm/metadata';
import { ApiError, labelOf } from '@crm/ui';
import { useDraft } from '../state/draft-context.js';
import type { EntityBody, FieldBody } from '../model.js';
import { tr } from '../shell/i18n.js';
import { FormulaSyntaxError, formatFormula, parseFormula } from './formula-text.js';

type Preview = { published: boolean; data: { id: string; title: unknown; value: unknown }[] };

/**
 * Write a formula as text; it is checked as you type (syntax here, fields and
 * types with the metadata package's own checker) and computed by PostgreSQL
 * on the entity's latest records, the same SQL that publishing will store.
 */
export function FormulaEditor(p: { entity: EntityBody; field: FieldBody; onChange: (expr: unknown) => void }) {
  const d = useDraft();
  const { lang } = d;
  const [text, setText] = useState(() => formatFormula(p.field.expression));
  const [syntax, setSyntax] = useState<string | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [serverIssue, setServerIssue] = useState<string | null>(null);
  const expr = p.field.expression;
  // An undo elsewhere changes the stored formula: show it.
  useEffect(() => {
    try { if (JSON.stringify(parseFormula(text)) === JSON.stringify(expr ?? null)) return; } catch { /* keep typing */ }
    setText(formatFormula(expr));
  }, [expr]);

  const vars = useMemo(() => formulaVars(p.entity.fields.filter((f) => f.id !== p.field.id)), [p.entity.fields, p.field.id]);
  const check = useMemo(() => (expr === null || expr === undefined ? null : checkFormula(expr, vars)), [expr, vars]);
  const issues = (check?.issues ?? []).map((i) => fillMessage(metadataMessages[i.code][lang], { ...i.params, entity: p.entity.key }, lang));
  const resultType = String(p.field.resultType ?? 'decimal');
  if (check && !issues.length && !fitsResultType(check.type, resultType)) {
    issues.push(tr(lang, `公式结果是 ${check.type}，与结果类型 ${resultType} 不符`, `The formula computes ${check.type}, not ${resultType}`));
  }

  useEffect(() => {
    setServerIssue(null);
    if (!check || issues.length) { setPreview(null); return; }
    const t = setTimeout(() => {
      d.api.send<Preview>('POST', `/api/w/${d.ws}/meta/formula-preview`, { entity: p.entity.key, expression: expr, resultType, ...(typeof p.field.scale === 'number' ? { scale: p.field.scale } : {}) })
        .then(setPreview, (err) => { setPreview(null); setServerIssue(err instanceof ApiError ? (err.details[0]?.message ?? err.message) : String(err)); });
    }, 400);
    return () => clearTimeout(t);
  }, [JSON.stringify(expr), resultType, p.field.scale, issues.length]);

  const onText = (v: string) => {
    setText(v);
    try {
      const parsed = parseFormula(v);
      setSyntax(null);
      p.onChange(parsed);
    } catch (err) {
      setSyntax(err instanceof FormulaSyntaxError ? tr(lang, `第 ${err.at + 1} 个字符附近：${err.message}`, `Near character ${err.at + 1}: ${err.message}`) : String(err));
    }
  };
  const insert = (s: string) => onText(text ? `${text} ${s}` : s);
  const usable = p.entity.fields.filter((f) => f.id !== p.field.id && !f.archived && 'type' in (vars.get(f.key) ?? {}));
  return (
    <div data-testid="formula-editor">
      <Input.TextArea rows={3} value={text} onChange={(e) => onText(e.target.value)} status={syntax || issues.length ? 'error' : undefined}
        placeholder={tr(lang, '例如：round(quantity * unit_price * (1 - discount / 100), 2)', 'e.g. round(quantity * unit_price * (1 - discount / 100), 2)')}
        style={{ fontFamily: 'ui-monospace, monospace' }} data-testid="formula-text" />
      <div style={{ margin: '6px 0' }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{tr(lang, '插入字段：', 'Insert field: ')}</Typography.Text>
        {usable.map((f) => <Tag key={f.id} style={{ cursor: 'pointer', marginBottom: 4 }} onClick={() => insert(f.key)}>{labelOf(f.label, lang)} <code>{f.key}</code></Tag>)}
      </div>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {tr(lang, '可用：+ - * /、比较、and / or / not、round、abs、min、max、concat、if、isEmpty；文字用引号。', 'Available: + - * /, comparisons, and / or / not, round, abs, min, max, concat, if, isEmpty; text in quotes.')}
      </Typography.Text>
      {(syntax || issues.length > 0 || serverIssue) && (
        <Alert type="error" style={{ marginTop: 6 }} data-testid="formula-issues" title={[syntax, ...issues, serverIssue].filter(Boolean).join('；')} />
      )}
      {preview && (
        <div style={{ marginTop: 8 }} data-testid="formula-preview">
          {!preview.published
            ? <Typography.Text type="secondary">{tr(lang, '对象发布并有记录后，这里显示公式在真实记录上的结果。', 'Once the entity is published and has records, results on real records show here.')}</Typography.Text>
            : preview.data.length === 0
              ? <Typography.Text type="secondary">{tr(lang, '还没有记录可以试算。', 'No records to try it on yet.')}</Typography.Text>
              : (
                <Table size="small" pagination={false} rowKey="id" dataSource={preview.data} title={() => <b>{tr(lang, '在最近的记录上试算', 'Computed on recent records')}</b>}
                  columns={[{ title: tr(lang, '记录', 'Record'), dataIndex: 'title', render: (v) => String(v ?? '—') }, { title: tr(lang, '结果', 'Result'), dataIndex: 'value', render: (v) => <b>{v === null ? '—' : String(v)}</b> }]} />
              )}
        </div>
      )}
    </div>
  );
}
