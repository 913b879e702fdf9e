import { Alert, App, Button, Card, Form, Select, Space, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { tr } from '../shell/i18n.js';
import { useDraft } from '../state/draft-context.js';
import { CURRENCIES, orderedTimeZones, settingsPatch } from './admin-ops.js';
import { MONTHS } from './admin-labels.js';
import { placeErrors } from './form-errors.js';
import { LoadFailed } from './load-failed.js';
import { useAdminResource, useAdminSend } from './use-admin-api.js';

interface Settings { timeZone: string; currency: string; locale: 'zh-CN' | 'en'; fiscalYearStartMonth: number }

/** Current time in a zone, to help pick the right one ("Asia/Shanghai · 20:15"). */
const nowIn = (zone: string): string => {
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit' }).format(new Date());
  } catch {
    return '';
  }
};

const currencyName = (code: string, lang: string): string => {
  try {
    return new Intl.DisplayNames([lang], { type: 'currency' }).of(code) ?? code;
  } catch {
    return code;
  }
};

/** Workspace-wide settings: time zone (date filters, "today"), default currency, language, fiscal year. */
export function SettingsPage() {
  const { lang } = useDraft();
  const { message } = App.useApp();
  const settings = useAdminResource<Settings>('settings');
  const send = useAdminSend();
  const [form] = Form.useForm<Settings>();
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const [dirty, setDirty] = useState(false);

  useEffect(() => {
    if (settings.data) { form.setFieldsValue(settings.data); setDirty(false); }
  }, [settings.data]);

  const zones = useMemo(() => {
    const list = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    return orderedTimeZones(list, settings.data?.timeZone).map((z) => ({ value: z, label: `${z}  ·  ${nowIn(z)}` }));
  }, [settings.data?.timeZone]);
  const currencies = useMemo(() => {
    const codes = settings.data && !(CURRENCIES as readonly string[]).includes(settings.data.currency) ? [...CURRENCIES, settings.data.currency] : CURRENCIES;
    return codes.map((c) => ({ value: c, label: `${c} · ${currencyName(c, lang)}` }));
  }, [lang, settings.data?.currency]);

  if (settings.error) return <LoadFailed error={settings.error} />;

  const save = async (v: Settings) => {
    if (!settings.data) return;
    const patch = settingsPatch(settings.data, v);
    if (!Object.keys(patch).length) { message.info(tr(lang, '没有修改', 'Nothing changed')); return; }
    setBusy(true);
    setProblems([]);
    try {
      await send('PATCH', 'settings', patch);
      message.success(tr(lang, '设置已保存', 'Settings saved'));
      await settings.reload();
    } catch (err) {
      // The server names a bad time zone only in its message (`reason: timeZone`).
      setProblems(placeErrors(form, err, 'timeZone' in patch ? { CRM_ERR_BAD_REQUEST: 'timeZone' } : {}));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" style={{ maxWidth: 640 }} loading={settings.loading && !settings.data}>
      <Form form={form} layout="vertical" onFinish={save} onValuesChange={() => setDirty(true)} data-testid="settings-form">
        <Form.Item name="timeZone" label={tr(lang, '时区', 'Time zone')} extra={tr(lang, '日期时间按此时区显示，“最近 7 天”等日期条件也按此时区计算。', 'Date-times show in this zone; date conditions such as "last 7 days" count in it.')}>
          <Select showSearch optionFilterProp="label" options={zones} data-testid="settings-timezone" />
        </Form.Item>
        <Form.Item name="currency" label={tr(lang, '默认币种', 'Default currency')} extra={tr(lang, '金额字段未单独指定币种时使用。', 'Used by amount fields that name no currency of their own.')}>
          <Select showSearch optionFilterProp="label" options={currencies} data-testid="settings-currency" />
        </Form.Item>
        <Form.Item name="locale" label={tr(lang, '默认语言', 'Default language')} extra={tr(lang, '工作区默认使用的语言；每个人都可以在界面上自行切换。', 'The workspace\'s default language; everyone can switch it for themselves.')}>
          <Select data-testid="settings-locale" options={[{ value: 'zh-CN', label: '简体中文 (zh-CN)' }, { value: 'en', label: 'English (en)' }]} />
        </Form.Item>
        <Form.Item name="fiscalYearStartMonth" label={tr(lang, '财年起始月', 'Fiscal year starts in')} extra={tr(lang, '财年从这个月开始，按财年统计时使用。', 'The fiscal year starts in this month; used when figures are counted per fiscal year.')}>
          <Select data-testid="settings-fiscal-month" style={{ width: 200 }} options={MONTHS.map(([zh, en], i) => ({ value: i + 1, label: tr(lang, zh, en) }))} />
        </Form.Item>
        {problems.length > 0 && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={problems.join('；')} data-testid="settings-error" />}
        <Space>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="settings-save">{tr(lang, '保存设置', 'Save settings')}</Button>
          <Button disabled={!dirty} onClick={() => { if (settings.data) form.setFieldsValue(settings.data); setDirty(false); form.setFields((['timeZone', 'currency', 'locale', 'fiscalYearStartMonth'] as const).map((name) => ({ name, errors: [] }))); }}>
            {tr(lang, '还原', 'Revert')}
          </Button>
          {dirty && <Typography.Text type="warning">{tr(lang, '有未保存的修改', 'Unsaved changes')}</Typography.Text>}
        </Space>
      </Form>
    </Card>
  );
}
