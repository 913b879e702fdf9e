import { Alert } from 'antd';
import type { Lang } from '@crm/ui';

/** Shown in an open form when someone else saved the record meanwhile: nothing the user typed is replaced. */
export function ChangedNotice(p: { lang: Lang }) {
  const en = p.lang === 'en';
  return (
    <Alert data-testid="record-changed-notice" type="warning" showIcon style={{ marginBottom: 16 }}
      message={en ? 'This record was changed by someone else' : '此记录已被他人修改'}
      description={en
        ? 'What you typed is kept. Saving tells you if it conflicts; close the form to see the latest version.'
        : '您填写的内容不会丢失。保存时如有冲突会提示；关闭表单即可查看最新内容。'} />
  );
}
