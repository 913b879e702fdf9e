import { Button, Card, Empty, Input, Space, Tag, Typography } from 'antd';
import { labelOf } from '@crm/ui';
import { useDraft } from '../state/draft-context.js';
import { issuesUnder } from '../state/issues.js';
import type { EntityBody } from '../model.js';
import { RuleBuilder } from '@crm/ui';
import { tr } from '../shell/i18n.js';
import { newId } from './keys.js';

type ValidationRule = Extract<EntityBody['rules'][number], { kind: 'validation' }>;

/**
 * Validation rules: "when <condition>, <assertion> must hold, else say
 * <message>". The records service enforces them on every write path; the
 * conditional visible/required/read-only rules are edited on the form layout.
 */
export function RulesTab(p: { entityId: string }) {
  const d = useDraft();
  const { lang } = d;
  const entity = d.docs[`entity/${p.entityId}`]!.body as EntityBody;
  const issues = d.issues[`entity/${p.entityId}`];
  const update = (fn: (rules: EntityBody['rules']) => EntityBody['rules'], tag?: string) => d.update<EntityBody>('entity', p.entityId, (e) => ({ ...e, rules: fn(e.rules) }), tag);
  const setRule = (id: string, patch: Partial<ValidationRule>, tag?: string) => update((rules) => rules.map((r) => (r.id === id ? (Object.fromEntries(Object.entries({ ...r, ...patch }).filter(([, v]) => v !== undefined)) as ValidationRule) : r)), tag);
  const validations = entity.rules.map((r, i) => ({ r, i })).filter((x): x is { r: ValidationRule; i: number } => x.r.kind === 'validation');
  const conditional = entity.rules.filter((r) => r.kind !== 'validation');
  const first = entity.fields.find((f) => !f.archived && f.key !== entity.titleField) ?? entity.fields[0]!;
  const add = () => update((rules) => [...rules, {
    id: newId('rul'), kind: 'validation', assert: { '!': { isEmpty: [{ var: first.key }] } },
    message: { 'zh-CN': `请填写${labelOf(first.label, 'zh-CN')}`, en: `${labelOf(first.label, 'en')} is required` },
  }]);
  return (
    <div style={{ maxWidth: 920 }}>
      <Space style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={add} data-testid="add-validation">{tr(lang, '+ 校验规则', '+ Validation rule')}</Button>
        <Typography.Text type="secondary">{tr(lang, '保存记录时（表单、导入、接口、自动化）都会检查。', 'Checked on every save: forms, imports, API and automations.')}</Typography.Text>
      </Space>
      {!validations.length && <Empty description={tr(lang, '还没有校验规则', 'No validation rules yet')} />}
      {validations.map(({ r, i }) => {
        const ruleIssues = issuesUnder(issues, `/rules/${i}`);
        return (
          <Card key={r.id} size="small" style={{ marginBottom: 12, borderColor: ruleIssues.length ? '#fca5a5' : undefined }} data-testid={`validation-${r.id}`}
            extra={<Button size="small" danger type="text" onClick={() => update((rules) => rules.filter((x) => x.id !== r.id))}>{tr(lang, '删除', 'Delete')}</Button>}
            title={labelOf(r.message, lang) || tr(lang, '校验规则', 'Validation rule')}>
            <Typography.Text strong>{tr(lang, '适用于（留空表示所有记录）', 'Applies when (empty: always)')}</Typography.Text>
            <RuleBuilder fields={entity.fields as never} ownership={entity.ownership} value={r.when} lang={lang} onChange={(when) => setRule(r.id, { when: when as ValidationRule['when'] })} />
            <Typography.Text strong style={{ display: 'block', marginTop: 10 }}>{tr(lang, '必须满足', 'Must hold')}</Typography.Text>
            <RuleBuilder fields={entity.fields as never} ownership={entity.ownership} value={r.assert} lang={lang} testId={`assert-${r.id}`}
              onChange={(assert) => assert !== undefined && setRule(r.id, { assert: assert as ValidationRule['assert'] })} />
            <Space.Compact style={{ width: '100%', marginTop: 10 }}>
              <Input addonBefore={tr(lang, '提示（中文）', 'Message (zh)')} value={r.message['zh-CN'] ?? ''} onChange={(e) => setRule(r.id, { message: { ...r.message, 'zh-CN': e.target.value } }, `msg.${r.id}.zh`)} />
              <Input addonBefore="English" value={r.message.en ?? ''} onChange={(e) => setRule(r.id, { message: { ...r.message, en: e.target.value || undefined } }, `msg.${r.id}.en`)} />
            </Space.Compact>
            {ruleIssues.map((x, k) => <div key={k} className="issue-text">{x.message}</div>)}
          </Card>
        );
      })}
      {conditional.length > 0 && (
        <Card size="small" title={tr(lang, '条件显示 / 必填 / 只读（在“表单布局”中编辑）', 'Conditional visible / required / read-only (edit in Form layout)')}>
          {conditional.map((r) => {
            const f = entity.fields.find((x) => 'field' in r && x.key === r.field);
            const kind = { visibleIf: tr(lang, '显示', 'visible'), requiredIf: tr(lang, '必填', 'required'), readOnlyIf: tr(lang, '只读', 'read-only') }[r.kind as 'visibleIf'];
            return <div key={r.id} style={{ marginBottom: 4 }}><Tag>{kind}</Tag>{f ? labelOf(f.label, lang) : String('field' in r ? r.field : '')}</div>;
          })}
        </Card>
      )}
    </div>
  );
}
