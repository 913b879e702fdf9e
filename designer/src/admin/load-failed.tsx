import { Alert } from 'antd';
import { tr } from '../shell/i18n.js';
import { useDraft } from '../state/draft-context.js';

/** What a designer (not an admin) sees instead of a screen the admin API refuses them. */
export function LoadFailed({ error }: { error: Error }) {
  const { lang } = useDraft();
  const forbidden = (error as { status?: number }).status === 403;
  return (
    <Alert type={forbidden ? 'info' : 'error'} showIcon data-testid="admin-load-failed"
      title={forbidden ? tr(lang, '只有所有者和管理员可以管理成员、团队和设置', 'Only owners and admins manage members, teams and settings') : error.message} />
  );
}
