import { AppError } from '../errors/app-error.js';
import { isUuid } from '../infra/ids.js';
import type { OutgoingMail } from './smtp.js';

/** Where a message came from (the automation run and step, the record), stored with it and shown in the outbox. */
export interface MailMeta {
  flow?: string;
  run?: string;
  step?: string;
  entity?: string;
  recordId?: string;
}

/**
 * One message. There is no host, port or transport here on purpose: where
 * mail goes is the server's configuration (SMTP_URL), never the caller's.
 */
export interface MailMessage {
  workspaceId: string;
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  /** Sent as the HTML alternative; stored and returned as data, never rendered by the server. */
  html?: string | null;
  /** The Message-ID header, stable for one logical message (e.g. `<run.step@workspace>`): the outbox's idempotency key and the receiver's duplicate filter. Angle brackets are added when missing. */
  messageId: string;
  from?: string;
  replyTo?: string;
  meta?: MailMeta;
}

export type OutboxStatus = 'pending' | 'sent' | 'failed' | 'captured';
export const OUTBOX_STATUSES: readonly OutboxStatus[] = ['pending', 'sent', 'failed', 'captured'];

export interface MailResult {
  messageId: string;
  /** `smtp`: an SMTP server accepted it (now or on an earlier call); `outbox`: it is in the outbox (captured, waiting for a retry, or failed). */
  delivered: 'smtp' | 'outbox';
  /** The outbox row. */
  id: string;
  status: OutboxStatus;
}

/** The port automations use. */
export interface Mailer {
  send(msg: MailMessage): Promise<MailResult>;
}

/** A message as the outbox stores it (see normalizeMessage). */
export interface NormalizedMessage extends OutgoingMail {
  workspaceId: string;
  meta: MailMeta;
}

export const MAIL_LIMITS = {
  recipients: 50,
  subject: 500,
  body: 1024 * 1024,
  metaValue: 200,
  messageId: 250,
} as const;

// A bare addr-spec: no display name, no comments, no lists, no whitespace or control characters.
const ADDRESS = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;
const MESSAGE_ID = /^<?([A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+)>?$/;
const META_KEYS = ['flow', 'run', 'step', 'entity', 'recordId'] as const;

const bad = (reason: string): never => {
  throw new AppError('CRM_ERR_BAD_REQUEST', { reason: `mail: ${reason}` });
};

function address(value: unknown, what: string): string {
  if (typeof value !== 'string') return bad(`${what} is not an address`);
  const a = value.trim();
  if (a.length > 254 || !ADDRESS.test(a)) return bad(`${what} is not a plain address (name@domain)`);
  return a;
}

function addresses(value: unknown, what: string, min: number): string[] {
  if (value === undefined && min === 0) return [];
  if (!Array.isArray(value)) return bad(`${what} is not a list of addresses`);
  if (value.length < min || value.length > MAIL_LIMITS.recipients) return bad(`${what} takes ${min} to ${MAIL_LIMITS.recipients} addresses`);
  return [...new Set(value.map((v) => address(v, what)))];
}

/** `<local@domain>` as sent in the header (and stored), or a 400. */
export function normalizeMessageId(value: unknown): string {
  if (typeof value !== 'string' || value.length > MAIL_LIMITS.messageId) return bad('messageId');
  const m = MESSAGE_ID.exec(value.trim());
  if (!m) return bad('messageId must look like <id@domain>');
  return `<${m[1]}>`;
}

/** The message as stored: addresses checked, header text on one line, sizes bounded, only known meta keys. */
export function normalizeMessage(msg: MailMessage): NormalizedMessage {
  if (!msg || typeof msg !== 'object') return bad('no message');
  if (typeof msg.workspaceId !== 'string' || !isUuid(msg.workspaceId)) return bad('workspaceId');
  const to = addresses(msg.to, 'to', 1);
  const cc = addresses(msg.cc, 'cc', 0).filter((a) => !to.includes(a));
  if (typeof msg.subject !== 'string') return bad('subject');
  // A header value stays on one line: CR, LF and other control characters become spaces.
  const subject = msg.subject.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  if (subject.length > MAIL_LIMITS.subject) return bad(`subject is longer than ${MAIL_LIMITS.subject} characters`);
  if (typeof msg.text !== 'string' || msg.text.length > MAIL_LIMITS.body) return bad('text');
  if (msg.html != null && (typeof msg.html !== 'string' || msg.html.length > MAIL_LIMITS.body)) return bad('html');
  const meta: MailMeta = {};
  if (msg.meta !== undefined) {
    if (!msg.meta || typeof msg.meta !== 'object' || Array.isArray(msg.meta)) return bad('meta');
    for (const [k, v] of Object.entries(msg.meta)) {
      if (!(META_KEYS as readonly string[]).includes(k)) return bad(`meta.${k} is not one of ${META_KEYS.join(', ')}`);
      if (v === undefined || v === null) continue;
      if (typeof v !== 'string' || v.length > MAIL_LIMITS.metaValue) return bad(`meta.${k}`);
      meta[k as keyof MailMeta] = v;
    }
  }
  return {
    workspaceId: msg.workspaceId.toLowerCase(),
    to,
    cc,
    subject,
    text: msg.text,
    html: msg.html ?? null,
    messageId: normalizeMessageId(msg.messageId),
    from: msg.from === undefined || msg.from === null ? null : address(msg.from, 'from'),
    replyTo: msg.replyTo === undefined || msg.replyTo === null ? null : address(msg.replyTo, 'replyTo'),
    meta,
  };
}
