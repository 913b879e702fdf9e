import { pinyin } from 'pinyin-pro';

const RESERVED = new Set(['select', 'user', 'order', 'group', 'table', 'from', 'where', 'id', 'version', 'owner_id', 'created_at', 'updated_at', 'deleted_at', 'constructor']);

/**
 * A key proposed from a label: pinyin for Chinese (客户等级 -> ke_hu_deng_ji),
 * lower-case ASCII otherwise; editable until first publish. The server has the
 * final word (reserved words, duplicates).
 */
export function proposeKey(label: string, fallbackId: string): string {
  const ascii = pinyin(label, { toneType: 'none', type: 'array', nonZh: 'consecutive' })
    .join('_')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40)
    .replace(/_+$/, '');
  const key = /^[a-z]/.test(ascii) ? ascii : `f_${ascii}`;
  return key.length > 2 && !RESERVED.has(key) ? key : `f_${fallbackId.replace(/[^a-z0-9]/g, '').slice(-8)}`;
}

export function newId(prefix: string): string {
  return `${prefix}_${Math.random().toString(36).slice(2, 8)}`;
}
