import { Alert, Checkbox, Input, Modal, Radio, Space } from 'antd';
import { useState } from 'react';
import { ApiError, type WidgetContext } from '@crm/ui';

/** Lead conversion: account (or an existing one when a duplicate is found), contact, and optionally an opportunity. */
export function ConvertDialog(p: { ctx: WidgetContext; lead: Record<string, unknown>; onClose: () => void; onDone: (accountId: string) => void }) {
  const en = p.ctx.lang === 'en';
  const [withOpp, setWithOpp] = useState(true);
  const [oppName, setOppName] = useState(`${String(p.lead.company ?? p.lead.name)} 商机`);
  const [candidates, setCandidates] = useState<{ id: string; title: string }[] | null>(null);
  const [choice, setChoice] = useState<string>('new');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const body = {
        createOpportunity: withOpp,
        ...(withOpp ? { opportunity: { name: oppName } } : {}),
        ...(candidates ? (choice === 'new' ? { newAccount: true } : { accountId: choice }) : {}),
      };
      const res = await p.ctx.api.send<{ data: { accountId: string } }>('POST', `/api/w/${p.ctx.ws}/records/leads/${String(p.lead.id)}/convert`, body, { 'if-match': `"${String(p.lead.version)}"` });
      p.onDone(res.data.accountId);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'CRM_ERR_DUPLICATE' && Array.isArray(err.body.candidates)) {
        setCandidates(err.body.candidates as { id: string; title: string }[]);
        setChoice((err.body.candidates as { id: string }[])[0]!.id);
      } else setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={en ? 'Convert lead' : '转化线索'} onCancel={p.onClose} onOk={submit} confirmLoading={busy} okText={en ? 'Convert' : '转化'} okButtonProps={{ 'data-testid': 'convert-ok' } as Record<string, string>}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <div>{en ? 'Creates an account and a contact from this lead.' : '将根据此线索创建客户和联系人。'}</div>
        {candidates && (
          <Alert type="warning" title={en ? 'A similar account exists' : '发现相似客户'} description={
            <Radio.Group value={choice} onChange={(e) => setChoice(e.target.value)}>
              <Space direction="vertical">
                {candidates.map((c) => <Radio key={c.id} value={c.id}>{en ? 'Use' : '使用已有客户：'}{c.title}</Radio>)}
                <Radio value="new">{en ? 'Create a new account anyway' : '仍然新建客户'}</Radio>
              </Space>
            </Radio.Group>
          } />
        )}
        <Checkbox checked={withOpp} onChange={(e) => setWithOpp(e.target.checked)} data-testid="convert-with-opp">{en ? 'Also create an opportunity' : '同时创建商机'}</Checkbox>
        {withOpp && <Input value={oppName} onChange={(e) => setOppName(e.target.value)} />}
        {error && <Alert type="error" title={error} />}
      </Space>
    </Modal>
  );
}
