import { Alert, App as AntApp, ConfigProvider, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { useEffect, useMemo, useState } from 'react';
import { createApi, type Lang } from '@crm/ui';
import { DraftProvider } from './state/draft-context.js';
import { Shell } from './shell/shell.js';
import { initialLang, tr } from './shell/i18n.js';

const DESIGNER_ROLES = ['owner', 'admin', 'designer'];

/** Signs the user in (the runtime's login page), checks the role, then opens the draft of their workspace. */
export function Designer() {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const langRef = useMemo(() => ({ current: lang }), []);
  langRef.current = lang;
  const api = useMemo(() => createApi(() => langRef.current), []);
  const [ws, setWs] = useState<string | null>(null);
  const [denied, setDenied] = useState(false);
  const setLang = (l: Lang) => { localStorage.setItem('crm.lang', l); setLangState(l); };

  useEffect(() => {
    api.get<{ data: { workspaces: { slug: string; role: string }[] } }>('/api/auth/me').then((me) => {
      const w = me.data.workspaces.find((x) => DESIGNER_ROLES.includes(x.role));
      if (!w) setDenied(true);
      else setWs(w.slug);
    }, () => { location.href = `/app/login?next=${encodeURIComponent(location.pathname)}`; });
  }, [api]);

  return (
    <ConfigProvider locale={lang === 'en' ? enUS : zhCN} theme={{ token: { colorPrimary: '#1d4ed8', borderRadius: 6 } }}>
      <AntApp>
        {denied && <Alert type="error" style={{ margin: 40 }} data-testid="denied" title={tr(lang, '只有所有者、管理员和设计者可以使用设计器', 'Only owners, admins and designers may use the designer')} />}
        {!denied && !ws && <Spin style={{ margin: 80 }} />}
        {ws && (
          <DraftProvider api={api} ws={ws} lang={lang}>
            <Shell lang={lang} setLang={setLang} />
          </DraftProvider>
        )}
      </AntApp>
    </ConfigProvider>
  );
}
