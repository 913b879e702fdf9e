import { Layout, Menu, Spin, Button, Dropdown } from 'antd';
import { lazy, Suspense, useEffect, useState } from 'react';
import { labelOf, type WidgetContext } from '@crm/ui';
import { api, go, lang } from './session.js';
import type { Me, Navigation } from './types.js';
import { BottomNav, type NavItem } from './shell/bottom-nav.js';
import { LiveStatus } from './live/live-status.js';
import { GlobalSearch } from './search/global-search.js';
import { useNarrow } from './shell/use-narrow.js';
import { ListPage, RecordPage, screen } from './pages.js';

// Screens load on first use, so the sign-in page stays small.
// The sign-in page is only for people not signed in: it stays out of everyone else's first load.
const LoginPage = lazy(() => import('./login.js').then((m) => ({ default: m.LoginPage })));
// Most visits open a list: fetch its code while /me and the navigation load, not after.
if (/^\/app\/[^/]+\/[^/]+\/?$/.test(location.pathname) && !location.pathname.startsWith('/app/login')) void ListPage.preload();
const HomePage = screen(() => import('./home/home-page.js').then((m) => m.HomePage));
const TasksPage = screen(() => import('./tasks/tasks-page.js').then((m) => m.TasksPage));
const CalendarPage = screen(() => import('./tasks/calendar-page.js').then((m) => m.CalendarPage));
const NotificationsBell = lazy(() => import('./home/notifications-bell.js').then((m) => ({ default: m.NotificationsBell })));

function usePath() {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const on = () => setPath(location.pathname);
    addEventListener('popstate', on);
    return () => removeEventListener('popstate', on);
  }, []);
  return path;
}

/** The runtime: an interpreter from published metadata to screens. Paths: /app/:ws/:entity[/:id|new]. */
export function App() {
  const path = usePath();
  const narrow = useNarrow();
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [nav, setNav] = useState<Navigation | null>(null);
  const [members, setMembers] = useState<{ id: string; name: string; status?: string }[]>([]);
  const parts = path.replace(/^\/app\/?/, '').split('/').filter(Boolean);
  const ws = parts[0] ?? me?.workspaces[0]?.slug;

  useEffect(() => {
    api.get<{ data: Me }>('/api/auth/me').then((r) => setMe(r.data)).catch(() => setMe(null));
  }, []);
  // With the workspace in the URL, navigation and members load alongside /me instead of after it.
  useEffect(() => {
    if (me === null || !ws || parts[0] === 'login') return;
    api.get<{ data: Navigation }>(`/api/w/${ws}/navigation`).then((r) => setNav(r.data)).catch(() => setNav(null));
    api.get<{ data: { id: string; name: string; status?: string }[] }>(`/api/w/${ws}/members`).then((r) => setMembers(r.data)).catch(() => setMembers([]));
  }, [me === null, ws]);

  if (me === undefined) return <Spin style={{ margin: 80 }} />;
  if (me === null || parts[0] === 'login') {
    return <Suspense fallback={<Spin style={{ margin: 80 }} />}><LoginPage onDone={(m) => {
      // Back to where sign-in was asked for (the designer sends people here), same origin paths only.
      const next = new URLSearchParams(location.search).get('next');
      if (next && /^\/(app|designer)(\/|$)/.test(next) && !next.startsWith('//')) { location.href = next; return; }
      setMe(m); go(`/app/${m.workspaces[0]?.slug ?? ''}`);
    }} /></Suspense>;
  }
  if (!ws) return <div className="crm-page">{lang() === 'en' ? 'You belong to no workspace yet.' : '您还没有加入任何工作区。'}</div>;
  if (!nav) return <Spin style={{ margin: 80 }} />;

  const entityKey = parts[1] ?? nav.entities.find((e) => e.key === 'leads')?.key ?? nav.entities[0]?.key;
  const entity = nav.entities.find((e) => e.key === entityKey);
  const ctx: WidgetContext = { lang: lang(), api, ws, members, userId: me?.id };
  // Home (/app/:ws, /app/:ws/home), my tasks (/app/:ws/tasks; a task's own page stays the record page) and the calendar.
  const screen = !parts[1] || parts[1] === 'home' ? 'home' : parts[1] === 'calendar' ? 'calendar' : parts[1] === 'tasks' && !parts[2] && entity ? 'tasks' : null;
  const main = screen === 'home' ? <HomePage nav={nav} ctx={ctx} me={me} />
    : screen === 'calendar' ? <CalendarPage nav={nav} ctx={ctx} />
    : screen === 'tasks' ? <TasksPage nav={nav} entity={entity!} ctx={ctx} renderList={() => <ListPage key="tasks-table" nav={nav} entity={entity!} ctx={ctx} />} />
    : !entity
    ? <div className="crm-page">{lang() === 'en' ? 'Nothing to show.' : '没有可显示的内容。'}</div>
    : parts[2]
      ? <RecordPage key={path} nav={nav} entity={entity} id={parts[2]} ctx={ctx} />
      : <ListPage key={entity.key} nav={nav} entity={entity} ctx={ctx} />;
  const order = ['leads', 'accounts', 'contacts', 'opportunities', 'activities', 'tasks', 'quotes', 'contracts', 'orders', 'invoices', 'products'];
  const menu = [...nav.entities].filter((e) => e.ownership === 'owned' || e.key === 'products')
    .sort((a, b) => (order.indexOf(a.key) + 1 || 99) - (order.indexOf(b.key) + 1 || 99));
  // One list of places for both the side menu (desktop) and the bottom bar (phone).
  const places: NavItem[] = [
    { key: 'home', label: ctx.lang === 'en' ? 'Home' : '首页', path: `/app/${ws}` },
    ...menu.filter((e) => ['accounts', 'opportunities', 'tasks'].includes(e.key)).map((e) => ({ key: e.key, label: labelOf(e.pluralLabel, ctx.lang), path: `/app/${ws}/${e.key}` })),
    { key: 'calendar', label: ctx.lang === 'en' ? 'Calendar' : '日历', path: `/app/${ws}/calendar` },
    ...menu.filter((e) => !['accounts', 'opportunities', 'tasks'].includes(e.key)).map((e) => ({ key: e.key, label: labelOf(e.pluralLabel, ctx.lang), path: `/app/${ws}/${e.key}` })),
  ];
  const selected = screen === 'home' || screen === 'calendar' ? screen : entityKey ?? '';
  return (
    <Layout style={{ minHeight: '100vh' }} className={narrow ? 'crm-with-bottom-nav' : undefined}>
      {!narrow && (
        <Layout.Sider width={200}>
          <div className="crm-brand">CRM · {me.workspaces.find((w) => w.slug === ws)?.name ?? ws}</div>
          <Menu theme="dark" mode="inline" selectedKeys={[selected]}
            items={[places[0]!, places.find((x) => x.key === 'calendar')!, ...menu.map((e) => places.find((x) => x.key === e.key)!)].map((i) => ({ key: i.key, label: i.label, onClick: () => go(i.path) }))} />
        </Layout.Sider>
      )}
      {narrow && <BottomNav items={places} selected={selected} lang={ctx.lang} />}
      <Layout>
        <Layout.Header style={{ background: '#fff', display: 'flex', justifyContent: 'flex-end', alignItems: 'center', padding: '0 24px' }}>
          <GlobalSearch ctx={ctx} />
          <LiveStatus ws={ws} lang={ctx.lang} />
          <Suspense fallback={null}><NotificationsBell nav={nav} ctx={ctx} /></Suspense>
          <Dropdown menu={{ items: [
            { key: 'lang', label: ctx.lang === 'en' ? '中文' : 'English', onClick: () => { localStorage.setItem('crm.lang', ctx.lang === 'en' ? 'zh-CN' : 'en'); location.reload(); } },
            { key: 'out', label: ctx.lang === 'en' ? 'Sign out' : '退出登录', onClick: async () => { await api.send('POST', '/api/auth/logout'); location.href = '/app/login'; } },
          ] }}>
            <Button type="text" data-testid="user-menu">{me.name}</Button>
          </Dropdown>
        </Layout.Header>
        <Layout.Content><Suspense fallback={<Spin style={{ margin: 80 }} />}>{main}</Suspense></Layout.Content>
      </Layout>
    </Layout>
  );
}
