import { describe, expect, it } from 'vitest';
import { labelText } from './labels.js';
import { isSemverRange } from './semver-range.js';
import { fillMessage, issueMessage, metadataMessages } from './messages.js';

describe('labelText', () => {
  it('answers in the wanted language and falls back to the other', () => {
    const both = { 'zh-CN': '商机', en: 'Opportunity' };
    expect(labelText(both, 'zh-CN')).toBe('商机');
    expect(labelText(both, 'en')).toBe('Opportunity');
    expect(labelText({ 'zh-CN': '商机' }, 'en')).toBe('商机');
    expect(labelText({ en: 'Opportunity' }, 'zh-CN')).toBe('Opportunity');
    expect(labelText(undefined, 'en')).toBe('');
    expect(labelText({ 'zh-CN': '', en: 'Quote' }, 'zh-CN')).toBe('Quote');
  });
});

describe('isSemverRange', () => {
  it.each(['>=0.1.0', '^1.4', '~0.3.1', '1.x || 2.x', '>=1.2.0 <2', '1.2 - 2.0', '*', '>= 1.0.0', '1.0.0-beta.1'])('accepts %s', (r) => {
    expect(isSemverRange(r)).toBe(true);
  });
  it.each(['', 'newest please', '>=1.2.3.4', '=> 1.0', '1.0 ||', 'v1.0.0; rm -rf'])('refuses %j', (r) => {
    expect(isSemverRange(r)).toBe(false);
  });
});

describe('messages', () => {
  it('fills placeholders per language, translating words and joining lists', () => {
    expect(fillMessage(metadataMessages.META_FIELD_WRONG_TYPE['zh-CN'], { field: 'stage', expected: 'select' }, 'zh-CN')).toBe('字段「stage」在此处应为「单选」类型的字段');
    expect(fillMessage(metadataMessages.META_FIELD_WRONG_TYPE.en, { field: 'stage', expected: 'select' }, 'en')).toBe('Field "stage" must be a "Select" field here');
    expect(fillMessage(metadataMessages.META_WRONG_TYPE['zh-CN'], { expected: ['string', 'array'] }, 'zh-CN')).toBe('类型不正确，应为文本或列表');
    expect(fillMessage(metadataMessages.META_NOT_ALLOWED_VALUE.en, { allowed: ['a', 'b'] }, 'en')).toBe('Value not allowed; expected one of a, b');
    expect(fillMessage('{missing} stays', {}, 'en')).toBe('{missing} stays');
  });

  it('builds both languages of an issue, and falls back to the code for an unknown one', () => {
    expect(issueMessage(metadataMessages, 'META_KEY_RESERVED', { key: 'select' })).toEqual({
      'zh-CN': 'API 名称「select」是数据库保留字，请换一个',
      en: 'API name "select" is a reserved database word; choose another',
    });
    expect(issueMessage(metadataMessages, 'NOPE', {})).toEqual({ 'zh-CN': 'NOPE', en: 'NOPE' });
  });
});
