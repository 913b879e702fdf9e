import { ddlMessages, findingMessages } from '@crm/ddl';
import { metadataMessages } from '@crm/metadata';
import { ruleMessages } from '@crm/rules';
import type { Messages } from './i18n.js';

/** Messages of the detail codes (inside `details[]`), gathered from the engines into the one catalogue. */
export const requestMessages = {
  REQUEST_SCHEMA: { 'zh-CN': '请求字段不符合要求：{reason}', en: 'Request field is invalid: {reason}' },
} as const satisfies Record<string, Messages>;

export const detailMessages: Readonly<Record<string, Messages>> = {
  ...ruleMessages,
  ...metadataMessages,
  ...ddlMessages,
  ...findingMessages,
  ...requestMessages,
};
