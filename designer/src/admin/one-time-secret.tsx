import { Alert, Typography } from 'antd';
import type { Lang } from '@crm/ui';
import { tr } from '../shell/i18n.js';

/**
 * A temporary password shown once (the server keeps only its hash): large,
 * copyable, with the reason to pass it on now.
 */
export function OneTimeSecret(p: { lang: Lang; email: string; password: string }) {
  const { lang } = p;
  return (
    <Alert type="warning" showIcon data-testid="one-time-password"
      title={tr(lang, '临时密码只显示这一次', 'The temporary password is shown only once')}
      description={(
        <>
          <div style={{ margin: '6px 0' }}>{tr(lang, `请通过安全渠道发给 ${p.email}，对方用这个邮箱和密码登录。关闭后无法再次查看。`, `Send it to ${p.email} over a safe channel: they sign in with this email and password. It cannot be shown again.`)}</div>
          <Typography.Text code copyable={{ text: p.password, tooltips: [tr(lang, '复制', 'Copy'), tr(lang, '已复制', 'Copied')] }}
            style={{ fontSize: 18 }} data-testid="one-time-password-value">{p.password}</Typography.Text>
        </>
      )} />
  );
}
