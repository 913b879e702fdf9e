import type { Kysely } from 'kysely';
import type { Clock } from '../infra/clock.js';
import { normalizeMessage, type MailMessage, type MailResult, type Mailer, type OutboxStatus } from './message.js';
import { MailOutbox, type ClaimedRow, type Enqueued } from './outbox.js';
import { describeFailure, isPermanentFailure, smtpTransport, type MailTransport, type SmtpSettings } from './smtp.js';

export interface MailOptions extends Partial<SmtpSettings> {
  /** SMTP_URL; without it (and without `transport`) every message is captured in the outbox and nothing is sent. */
  smtpUrl?: string;
  /** Another transport (instead of SMTP_URL). */
  transport?: MailTransport;
  /** Attempts per message before it is marked failed (default 5). */
  maxAttempts?: number;
  /** How long one delivery attempt owns its row (default 5 min); a crash mid-send is retried after it. */
  leaseMs?: number;
  /** How often this process's relay sends what is due (default 30 s; 0: no timer). Only with SMTP. */
  relayEveryMs?: number;
}

export interface RelayResult {
  sent: number;
  retrying: number;
  failed: number;
}

/** Wait after the n-th failed attempt: 1 min, 4 min, 16 min, 64 min, ... at most 6 h. */
export const retryDelayMs = (attempts: number) => Math.min(60_000 * 4 ** Math.max(0, attempts - 1), 6 * 3_600_000);

/** Connection-level failures (no SMTP reply at all): the server is unreachable, so a relay pass stops there. */
const unreachable = (err: unknown) => typeof (err as { responseCode?: unknown })?.responseCode !== 'number';

/**
 * The Mailer over the outbox. Every message is a row in crm.mail_outbox first
 * (`enqueue`, inside the caller's transaction when it has one); `deliver`
 * sends one pending row over SMTP, `relay` every due one. With no SMTP
 * configured rows are written as `captured` and never sent.
 *
 * Once only: the row is leased and its attempt counted before SMTP is asked;
 * it is marked sent after the server accepts. A crash (or a lost database)
 * between the two sends it again after the lease: the Message-ID header is
 * the same, so the receiver can drop the duplicate.
 */
export class OutboxMailer implements Mailer {
  readonly outbox: MailOutbox;
  readonly mode: 'smtp' | 'capture';
  private readonly transport: MailTransport | undefined;
  private readonly maxAttempts: number;
  private readonly leaseMs: number;

  constructor(private readonly db: Kysely<any>, private readonly clock: Clock, opts: MailOptions = {}, private readonly warn: (m: string) => void = () => {}) {
    this.outbox = new MailOutbox(db);
    this.transport = opts.transport ?? (opts.smtpUrl ? smtpTransport({ ...opts, url: opts.smtpUrl }) : undefined);
    this.mode = this.transport ? 'smtp' : 'capture';
    this.maxAttempts = Math.max(1, opts.maxAttempts ?? 5);
    this.leaseMs = opts.leaseMs ?? 5 * 60_000;
  }

  /** Where mail goes, without credentials (for the start-up log). */
  get describe(): string {
    return this.transport ? this.transport.describe : 'captured in the outbox (no SMTP_URL)';
  }

  /**
   * Writes the message to the outbox in `tx` and nothing else: no network.
   * Call it inside the transaction of the write that causes the mail; after
   * commit, `deliver(id)` (or the relay) sends it. The same Message-ID again
   * returns the existing row.
   */
  async enqueue(tx: Kysely<any>, msg: MailMessage): Promise<Enqueued> {
    const m = normalizeMessage(msg);
    return this.outbox.insert(tx, m, this.transport ? 'pending' : 'captured', this.clock.now());
  }

  /** Enqueue (committed at once) and try SMTP now. SMTP trouble never throws: the row keeps the attempt and the error, the relay retries. */
  async send(msg: MailMessage): Promise<MailResult> {
    const row = await this.enqueue(this.db, msg);
    let status = row.status;
    if (status === 'pending') {
      try {
        status = (await this.deliver(row.id)) ?? status;
      } catch (err) {
        this.warn(`mail ${row.messageId}: ${describeFailure(err)} (left for the relay)`);
      }
    }
    return { messageId: row.messageId, delivered: status === 'sent' ? 'smtp' : 'outbox', id: row.id, status };
  }

  /** One delivery attempt of a pending, due, unleased row; answers the row's status afterwards (undefined: no such row). */
  async deliver(id: string): Promise<OutboxStatus | undefined> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return undefined;
    if (!this.transport) return this.outbox.status(id);
    const now = this.clock.now();
    const row = await this.outbox.claim(id, now, new Date(now.getTime() + this.leaseMs));
    if (!row) return this.outbox.status(id);
    return (await this.attempt(row)).status;
  }

  /** Sends every due pending row (up to `limit`), one after another; stops early when the SMTP server cannot be reached. */
  async relay(limit = 100): Promise<RelayResult> {
    const result: RelayResult = { sent: 0, retrying: 0, failed: 0 };
    if (!this.transport) return result;
    for (const id of await this.outbox.due(this.clock.now(), limit)) {
      const now = this.clock.now();
      const row = await this.outbox.claim(id, now, new Date(now.getTime() + this.leaseMs));
      if (!row) continue;
      const out = await this.attempt(row);
      if (out.status === 'sent') result.sent++;
      else if (out.status === 'failed') result.failed++;
      else result.retrying++;
      if (out.unreachable) break;
    }
    return result;
  }

  /** Runs the relay every `everyMs` in this process (not with capture, not with 0); returns the stop function. */
  startRelay(everyMs: number): () => void {
    if (!this.transport || everyMs <= 0) return () => {};
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      this.relay()
        .catch((err) => this.warn(`mail relay: ${describeFailure(err)}`))
        .finally(() => { running = false; });
    }, everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  close(): void {
    this.transport?.close();
  }

  private async attempt(row: ClaimedRow): Promise<{ status: OutboxStatus; unreachable: boolean }> {
    let accepted;
    try {
      accepted = await this.transport!.send(row);
    } catch (err) {
      const final = isPermanentFailure(err) || row.attempts >= this.maxAttempts;
      const retryAt = final ? null : new Date(this.clock.now().getTime() + retryDelayMs(row.attempts));
      await this.outbox.markFailed(row.id, describeFailure(err), retryAt);
      return { status: final ? 'failed' : 'pending', unreachable: unreachable(err) };
    }
    // The once-only window: accepted by SMTP, not yet marked. If this write is lost, the row is sent again after its lease.
    await this.outbox.markSent(row.id, this.clock.now(), accepted.rejected.length ? `refused recipients: ${accepted.rejected.join(', ')}`.slice(0, 1000) : null);
    return { status: 'sent', unreachable: false };
  }
}
