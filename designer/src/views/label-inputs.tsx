import { Input } from 'antd';

type LabelText = { 'zh-CN'?: string; en?: string };

/** A label in both languages side by side (zh-CN first); each input reports its own language. */
export function LabelInputs(p: { value: LabelText; onChange: (lang: 'zh-CN' | 'en', text: string) => void; testId: string; size?: 'small' | 'middle'; optional?: boolean }) {
  const missing = !p.optional && !p.value['zh-CN'] && !p.value.en ? 'error' : undefined;
  const tag = (t: string) => <span style={{ color: '#999', fontSize: 12, width: 26, display: 'inline-block' }}>{t}</span>;
  return (
    <div style={{ display: 'flex', gap: 8 }}>
      <Input size={p.size} prefix={tag('中文')} value={p.value['zh-CN'] ?? ''} status={missing}
        onChange={(e) => p.onChange('zh-CN', e.target.value)} data-testid={`${p.testId}-zh`} />
      <Input size={p.size} prefix={tag('EN')} value={p.value.en ?? ''} status={missing}
        onChange={(e) => p.onChange('en', e.target.value)} data-testid={`${p.testId}-en`} />
    </div>
  );
}
