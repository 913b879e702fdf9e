import type { Flow, Step } from '@crm/metadata';
import type { RuleSchema } from '@crm/rules';

/**
 * What the engine needs from the world, and nothing more. The server gives
 * the durable implementations (PostgreSQL, the records service, the outbox,
 * the SSRF-guarded HTTP client); the dry run gives capturing ones inside a
 * transaction it rolls back; unit tests give in-memory ones.
 */

export interface Clock {
  now(): Date;
}

export type Row = Record<string, unknown>;

/** One record write as the trigger matcher sees it. */
export interface RecordEvent {
  kind: 'created' | 'updated' | 'deleted' | 'restored';
  entity: string;
  recordId: string;
  /** The record after the write (for deletes: as it was). */
  record: Row;
  /** Values before the write of the fields that changed (empty for creates). */
  previous: Row;
  changed: string[];
  /** Who made the write (for automation writes: the user whose action set the chain off). */
  userId: string | null;
  /** Flows already in the chain that led to this write (loop detection), outermost first. */
  chain: string[];
}

/** A run as the executor sees it. */
export interface RunState {
  id: string;
  workspaceId: string;
  flow: Flow;
  /** The trigger record (absent for schedule and record-less webhook flows). */
  entity?: string;
  recordId?: string;
  /** Trigger data: the event's previous values, webhook payload, manual inputs. */
  trigger: Row;
  previous: Row;
  /** The user whose action triggered the run (audit: "triggered by"). */
  triggeredBy: string | null;
  chain: string[];
  /** Never started before: there is no step log to replay (saves reading it). */
  fresh?: boolean;
}

/** A step done, to be recorded. */
export interface StepDone { key: string; kind: string; output: Row; startedAt: Date; /** The step's config, kept with its outcome in the run log. */ input?: Row }

/** A step's stored outcome: replayed instead of re-run when a run resumes. */
export interface StepRecord {
  key: string;
  status: 'done' | 'claimed' | 'waiting' | 'failed';
  output: Row;
  attempts: number;
}

export interface StepLog {
  /** Every stored step of the run, by key. */
  load(runId: string): Promise<Map<string, StepRecord>>;
  /**
   * Claims a step with an external effect (HTTP) before acting, committed on
   * its own: a crash after the request leaves it `claimed`, and the retry
   * sends the same idempotency key.
   */
  claim(runId: string, key: string, kind: string, input: Row): Promise<StepRecord>;
  /**
   * Records steps done that have no effect of their own (conditions, branch
   * choices, a claimed request's answer), in one statement. The executor
   * holds pure steps back and records them with the next write, or at the
   * end: lost in a crash, they are simply worked out again.
   */
  complete(runId: string, steps: StepDone[]): Promise<void>;
  /** The run waits (delay, wait_until, wait_for): a continuation is scheduled at `until`. */
  wait(runId: string, key: string, kind: string, until: Date, output: Row): Promise<void>;
}

/** Writes bound to one transaction; the step's completion commits with them. */
export interface Effects {
  records: RecordsPort;
  mail: MailPort;
  notify: NotifyPort;
  assign: AssignPort;
  /** Starts another flow's run as a child of this one (call_flow), created with the step. */
  startChild(flow: Flow): Promise<string>;
  /** Marks the step done in the same transaction as its writes (with the pure steps held back before it). */
  complete(output: Row, earlier: StepDone[], input?: Row): Promise<void>;
}

export interface RecordsPort {
  get(entity: string, id: string): Promise<Row | null>;
  create(entity: string, values: Row): Promise<Row>;
  /**
   * Validation, gates and audit apply; returns the event it makes. `known`:
   * the record as the run last read it (its version and before-values are
   * used; a version moved since is a conflict, and the run is retried).
   */
  update(entity: string, id: string, values: Row, known?: Row): Promise<{ record: Row; event: RecordEvent | null }>;
  /**
   * A task or activity linked to the trigger record: the server maps the
   * roles below onto the entity's fields (its title field, first user field,
   * first datetime field, first select field, the relation to the record).
   */
  createLinked(kind: 'task' | 'activity', entity: string, link: { entity: string; id: string } | null,
    v: { title: string; notes?: string; assignee?: string; due?: string; activityType?: string }): Promise<Row>;
  /** Other live records of `entity` with the same normalised value in any of `fields` (oldest first, at most 5). */
  duplicates(entity: string, record: Row, fields: string[], openOnly: boolean): Promise<Row[]>;
  /** Records of `entity` whose relation `field` points at `id` (loop steps), at most `max`, optionally filtered. */
  related(entity: string, field: string, id: string, max: number, filter?: unknown): Promise<Row[]>;
  /** The person a recipient word names: the record's owner, that owner's manager. */
  people(kind: 'owner' | 'owner_manager', record: Row | null): Promise<{ userId: string; email: string | null }[]>;
  userEmail(userId: string): Promise<string | null>;
  /** Active members holding a business role. */
  roleMembers(role: string): Promise<{ userId: string; email: string | null }[]>;
}

export interface MailPort {
  /** Into the outbox, in the step's transaction; the relay sends it with this Message-ID. */
  enqueue(msg: { to: string[]; subject: string; text: string; html: string; messageId: string }): Promise<void>;
}

export interface NotifyPort {
  send(userIds: string[], n: { title: string; body: string | null; entity?: string; recordId?: string; key: string }): Promise<void>;
}

export interface AssignPort {
  /** Picks and sets the owner by the step's strategy; returns who and why (stored on the record, shown in its timeline). */
  assign(entity: string, record: Row, config: Row): Promise<{ ownerId: string; reason: string }>;
  toPool(entity: string, record: Row, reason: string | null): Promise<void>;
}

export interface HttpPort {
  /** Through the SSRF-guarded client. A 4xx answer is final, a 5xx or network error is retried. */
  request(req: { method: string; url: string; headers: Record<string, string>; body?: string }): Promise<{ status: number; body: string }>;
}

export interface EnginePorts {
  clock: Clock;
  timeZone: string;
  steps: StepLog;
  /** Runs `fn` in one transaction whose writes and the step's completion commit together. */
  atomically<T>(runId: string, key: string, kind: string, fn: (fx: Effects) => Promise<T>): Promise<T>;
  /**
   * Several consecutive writing steps in ONE transaction (each with its own
   * Effects, named by its key): one commit instead of one per step. If one
   * fails, none of them happened, and a retry runs them all again.
   */
  atomicallyMany?<T>(runId: string, fn: (enter: (key: string, kind: string) => Effects) => Promise<T>): Promise<T>;
  http: HttpPort;
  /** The trigger record as it is now (outside any step's transaction). */
  record(entity: string, id: string): Promise<Row | null>;
  /** Flows a write would start (loop detection runs this inside the writing step's transaction). */
  triggered(event: RecordEvent): Flow[];
  /** The rule schema of an entity (its fields, `$previous` allowed). */
  ruleSchema(entity: string): RuleSchema;
  /** Published flows of the run's revision, by id (call_flow). */
  flow(id: string): Flow | undefined;
  /** Webhook signing secret of the workspace. */
  signingSecret(): Promise<string>;
}

/** Step outcome: go on with `output`, or stop the run here. */
export type StepOutcome =
  | { kind: 'next'; output: Row }
  | { kind: 'branch'; branch: string; output: Row }
  | { kind: 'stop'; reason: 'condition_false' | 'duplicate_found'; output: Row }
  | { kind: 'wait'; until: Date; output: Row };

export type { Step };
