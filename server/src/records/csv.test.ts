import { describe, expect, it } from 'vitest';
import type { Field } from '@crm/metadata';
import { csvCell, csvRow, guardFormula } from './csv.js';
import { formatForPeople, htmlToText, zonedDateTime, type PeopleFormat } from './people-format.js';

describe('csv', () => {
  it('disarms every formula start, and leaves plain numbers alone', () => {
    for (const s of ['=1+1', '+1', '-1+1', '@SUM(A1)', '\t=1', '\r=1', '-', '+86 138', '=HYPERLINK("http://x")']) expect(guardFormula(s)).toBe(`'${s}`);
    for (const s of ['-12.50', '-3', '12', '0.5', '张伟', "'already", ' =1', '']) expect(guardFormula(s)).toBe(s);
  });

  it('quotes what RFC 4180 says to, doubling quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=1,2')).toBe(`"'=1,2"`);
    expect(csvRow(['a', '', '-1.00'])).toBe('a,,-1.00\r\n');
  });
});

describe('people format', () => {
  const fmt = (lang: 'zh-CN' | 'en'): PeopleFormat => ({ lang, timeZone: 'Asia/Shanghai', members: new Map([['u1', '张伟']]) });
  const field = (type: string, extra: Record<string, unknown> = {}) => ({ id: `f_${type}`, key: 'v', type, label: { 'zh-CN': '值', en: 'Value' }, ...extra }) as unknown as Field;
  const options = { options: [{ key: 'a', label: { 'zh-CN': '甲', en: 'A' } }, { key: 'b', label: { 'zh-CN': '乙' } }] };

  it('shows labels, names and titles instead of keys and ids', () => {
    expect(formatForPeople(field('select', options), 'a', {}, fmt('en'))).toBe('A');
    expect(formatForPeople(field('select', options), 'b', {}, fmt('en'))).toBe('乙');
    expect(formatForPeople(field('select', options), 'gone', {}, fmt('zh-CN'))).toBe('gone');
    expect(formatForPeople(field('multiselect', options), ['a', 'b'], {}, fmt('zh-CN'))).toBe('甲; 乙');
    expect(formatForPeople(field('user'), 'u1', {}, fmt('zh-CN'))).toBe('张伟');
    expect(formatForPeople(field('relation'), 'r1', { expand: { v: { id: 'r1', title: '云栖科技' } } }, fmt('zh-CN'))).toBe('云栖科技');
    expect(formatForPeople(field('relation'), 'r1', {}, fmt('zh-CN'))).toBe('r1');
    expect(formatForPeople(field('boolean'), true, {}, fmt('zh-CN'))).toBe('是');
    expect(formatForPeople(field('boolean'), false, {}, fmt('en'))).toBe('No');
  });

  it('keeps decimals exact and writes datetimes in the workspace zone', () => {
    expect(formatForPeople(field('currency'), '12345678901234.56', {}, fmt('en'))).toBe('12345678901234.56');
    expect(formatForPeople(field('datetime'), '2026-11-22T16:30:00Z', {}, fmt('en'))).toBe('2026-11-23 00:30');
    expect(zonedDateTime('2026-06-01T00:00:00Z', 'Europe/Berlin')).toBe('2026-06-01 02:00');
    expect(formatForPeople(field('address'), { province: '浙江省', city: '杭州市', district: null, detail: '文一西路 1 号' }, {}, fmt('en'))).toBe('浙江省 杭州市 文一西路 1 号');
    expect(formatForPeople(field('file'), [{ id: 'f', name: '合同.pdf' }, { id: 'g', name: 'a.png' }], {}, fmt('en'))).toBe('合同.pdf; a.png');
    expect(formatForPeople(field('text'), null, {}, fmt('en'))).toBe('');
  });

  it('turns sanitised rich text into plain lines', () => {
    expect(htmlToText('<p>第一段 &amp; <b>重点</b></p><p>第二段<br>换行 &lt;x&gt;</p>')).toBe('第一段 & 重点\n第二段\n换行 <x>');
  });
});
