import { Alert, Button, Space, Typography } from 'antd';
import { useDraft } from '../state/draft-context.js';
import { tr } from '../shell/i18n.js';
import { RunsTable, useRuns } from './runs-table.js';
import './flows.css';

/** The workspace's failed runs, whatever the flow, each with one-click retry (it goes on from the step that failed). */
export function FailedRunsPage() {
  const { lang } = useDraft();
  const runs = useRuns({ status: 'failed' }, true);
  return (
    <div data-testid="failed-runs">
      <Typography.Title level={4} style={{ margin: '0 0 4px' }}>{tr(lang, '失败的运行', 'Failed runs')}</Typography.Title>
      <Typography.Paragraph type="secondary">
        {tr(lang, '重试会从失败的那一步继续，已完成的步骤不会重复执行。', 'A retry goes on from the step that failed; steps already done are not repeated.')}
      </Typography.Paragraph>
      {runs.error && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={runs.error.message} />}
      <Space style={{ marginBottom: 8 }}><Button size="small" onClick={() => void runs.reload()}>{tr(lang, '刷新', 'Refresh')}</Button></Space>
      <RunsTable runs={runs.runs} loading={runs.loading} showFlow retry onChanged={() => void runs.reload()} more={runs.more} testId="failed-table" />
    </div>
  );
}
