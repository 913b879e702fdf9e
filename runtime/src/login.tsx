import { Button, Card, Form, Input, Alert } from 'antd';
import { useState } from 'react';
import { api, lang } from './session.js';
import type { Me } from './types.js';

export function LoginPage(p: { onDone: (me: Me) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const en = lang() === 'en';
  const submit = async (v: { email: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await api.send('POST', '/api/auth/login', v);
      p.onDone((await api.get<{ data: Me }>('/api/auth/me')).data);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div style={{ display: 'flex', justifyContent: 'center', paddingTop: '12vh' }}>
      <Card title={en ? 'Sign in to CRM' : '登录 CRM'} style={{ width: 360 }}>
        {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} />}
        <Form layout="vertical" onFinish={submit}>
          <Form.Item name="email" label={en ? 'Email' : '邮箱'} rules={[{ required: true }]}><Input autoComplete="username" /></Form.Item>
          <Form.Item name="password" label={en ? 'Password' : '密码'} rules={[{ required: true }]}><Input.Password autoComplete="current-password" /></Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>{en ? 'Sign in' : '登录'}</Button>
        </Form>
      </Card>
    </div>
  );
}
