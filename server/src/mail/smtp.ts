import nodemailer from 'nodemailer';

/** SMTP settings. They come from the environment only (SMTP_URL): no message, automation or request chooses the host. */
export interface SmtpSettings {
  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://user:pass@host:465` (TLS from the start); `?requireTLS=true` refuses to send without STARTTLS. */
  url: string;
  /** Sender when a message names none (default: the SMTP user if it is an address, else `crm@<smtp host>`). */
  from?: string;
  /** Milliseconds to open the connection (default 10 s). */
  connectionTimeoutMs?: number;
  /** Milliseconds to wait for the server's greeting (default 10 s). */
  greetingTimeoutMs?: number;
  /** Milliseconds of silence on an open connection before giving up (default 30 s). */
  socketTimeoutMs?: number;
}

export interface SmtpTarget {
  host: string;
  port: number;
  secure: boolean;
  requireTLS: boolean;
  auth?: { user: string; pass: string };
}

/** Parses SMTP_URL; throws a message that never repeats the password. */
export function parseSmtpUrl(value: string): SmtpTarget {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error('SMTP_URL is not a URL (smtp://user:pass@host:587 or smtps://user:pass@host:465)');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error(`SMTP_URL must start with smtp:// or smtps:// (not ${url.protocol}//)`);
  if (!url.hostname) throw new Error('SMTP_URL names no host');
  if (url.pathname && url.pathname !== '/') throw new Error('SMTP_URL takes no path');
  let requireTLS = false;
  for (const [k, v] of url.searchParams) {
    if (k === 'requireTLS' && (v === 'true' || v === 'false')) requireTLS = v === 'true';
    else throw new Error(`SMTP_URL: unknown parameter ${k} (only requireTLS=true|false)`);
  }
  const secure = url.protocol === 'smtps:';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const user = decodeURIComponent(url.username);
  return {
    host,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    requireTLS,
    ...(user ? { auth: { user, pass: decodeURIComponent(url.password) } } : {}),
  };
}

/** What a relay hands to SMTP. */
export interface OutgoingMail {
  /** null: the configured sender. */
  from: string | null;
  replyTo: string | null;
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  html: string | null;
  messageId: string;
}

export interface SmtpAcceptance {
  /** Recipients the server refused while accepting the message for the others. */
  rejected: string[];
  response: string;
}

/** The SMTP side of the mailer, a port so that the outbox logic does not depend on nodemailer. */
export interface MailTransport {
  /** `smtp://host:port` without credentials, for logs. */
  readonly describe: string;
  send(mail: OutgoingMail): Promise<SmtpAcceptance>;
  close(): void;
}

/** A nodemailer SMTP transport with modest timeouts and no file or URL access. */
export function smtpTransport(settings: SmtpSettings): MailTransport {
  const target = parseSmtpUrl(settings.url);
  const defaultFrom = settings.from ?? (target.auth?.user.includes('@') ? target.auth.user : `crm@${target.host}`);
  const transporter = nodemailer.createTransport({
    host: target.host,
    port: target.port,
    secure: target.secure,
    requireTLS: target.requireTLS,
    auth: target.auth,
    connectionTimeout: settings.connectionTimeoutMs ?? 10_000,
    greetingTimeout: settings.greetingTimeoutMs ?? 10_000,
    socketTimeout: settings.socketTimeoutMs ?? 30_000,
    dnsTimeout: settings.connectionTimeoutMs ?? 10_000,
    // Message content is data: nothing in it may make the server read a file or fetch a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
    debug: false,
  });
  const describe = `${target.secure ? 'smtps' : 'smtp'}://${target.host}:${target.port}`;
  return {
    describe,
    async send(mail) {
      const info = await transporter.sendMail({
        from: mail.from || defaultFrom,
        ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
        to: mail.to,
        ...(mail.cc.length ? { cc: mail.cc } : {}),
        subject: mail.subject,
        text: mail.text,
        ...(mail.html != null ? { html: mail.html } : {}),
        messageId: mail.messageId,
        // RFC 3834: machine-sent, so auto-responders do not answer (and loop).
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
      return { rejected: (info.rejected ?? []).map(String), response: String(info.response ?? '') };
    },
    close() {
      transporter.close();
    },
  };
}

/** Whether a delivery error is final (the server refused the message for good) rather than worth another attempt. */
export function isPermanentFailure(err: unknown): boolean {
  const e = err as { permanent?: unknown; responseCode?: unknown; code?: unknown };
  if (typeof e?.permanent === 'boolean') return e.permanent;
  if (typeof e?.responseCode === 'number') return e.responseCode >= 500 && e.responseCode < 600 && e.responseCode !== 503;
  // A message nodemailer itself cannot build will not build next time either.
  return e?.code === 'EMESSAGE' || (e?.code === 'EENVELOPE' && typeof e?.responseCode !== 'number');
}

/** The error as stored in last_error: code, SMTP reply and message on one line, bounded. */
export function describeFailure(err: unknown): string {
  const e = err as { code?: unknown; responseCode?: unknown; message?: unknown };
  const parts = [typeof e?.code === 'string' ? e.code : '', typeof e?.responseCode === 'number' ? String(e.responseCode) : '', typeof e?.message === 'string' ? e.message : String(err)];
  // One line on the outbox screen.
  return parts.filter(Boolean).join(' ').replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, 1000);
}
