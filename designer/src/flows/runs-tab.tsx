import { Alert, Button, Space, Typography } from 'antd';
import { useDraft } from '../state/draft-context.js';
import { tr } from '../shell/i18n.js';
import { RunsTable, useRuns } from './runs-table.js';

/** A flow's runs, newest first, refreshed while shown. */
export function RunsTab(p: { flowId: string; published: boolean }) {
  const { lang } = useDraft();
  const runs = useRuns({ flow: p.flowId }, true);
  return (
    <div data-testid="runs-tab">
      {!p.published && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={tr(lang, '这个自动化还没有发布，发布后才会运行。', 'This flow is not published yet: it runs once published.')} />}
      {runs.error && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={runs.error.message} />}
      <Space style={{ marginBottom: 8 }}>
        <Button size="small" onClick={() => void runs.reload()} data-testid="runs-refresh">{tr(lang, '刷新', 'Refresh')}</Button>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{tr(lang, '每 3 秒自动刷新；点击一行查看每个步骤。', 'Refreshes every 3 s; click a row for its steps.')}</Typography.Text>
      </Space>
      <RunsTable runs={runs.runs} loading={runs.loading} onChanged={() => void runs.reload()} more={runs.more} retry testId="runs-table" />
    </div>
  );
}
