import os from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import { lazyRequire } from '../lazy.js';
import type { Knex } from 'knex';
import type { ModuleDb } from '../db/module-db.js';
import type { Logger } from '../log/logger.js';
import { queueItemFromRow, type MailQueueItem } from './mail-types.js';

export interface MailQueueSettings {
  smtpUrl: string;
  from: string;
  maxAttempts: number;
}

export interface ProcessResult {
  sent: number;
  failed: number;
  deferred: number;
}

/** How long a claimed message belongs to one worker; a crashed worker's message is retried after it. */
/** SMTP client, loaded when the first message goes out. */
export const nodemailer = lazyRequire<typeof import('nodemailer')>('nodemailer');

export const LEASE_MS = 5 * 60_000;
const BACKOFF_BASE_MS = 30_000;
const BACKOFF_MAX_MS = 3_600_000;

/** Delay before the next try after `attempts` failures: 30 s, 60 s, 120 s, … capped at one hour. */
export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1), BACKOFF_MAX_MS);
}

/**
 * Delivers the mail queue over SMTP. Each message is claimed with a lease by one atomic
 * UPDATE, so concurrent workers (processes, nodes) never send the same row, and a row
 * whose worker died is picked up again once its lease expires.
 */
export class MailQueueWorker {
  readonly owner = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private transport?: Transporter;

  constructor(
    private readonly db: ModuleDb,
    private readonly log: Logger,
    private readonly settings: MailQueueSettings,
  ) {}

  async process({ limit = 50, now = Date.now() }: { limit?: number; now?: number } = {}): Promise<ProcessResult> {
    const result: ProcessResult = { sent: 0, failed: 0, deferred: 0 };
    if (!this.settings.smtpUrl) return result;
    const candidates = await this.db
      .write('mail_queue')
      .where((q) => claimable(q, now))
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(Math.max(1, Math.min(limit, 1000)))
      .select('id');
    for (const { id } of candidates as { id: number }[]) {
      const item = await this.claim(Number(id), now);
      if (!item) continue;
      const outcome = await this.deliver(item, now);
      result[outcome]++;
    }
    return result;
  }

  async verify(): Promise<{ ok: boolean; error?: string }> {
    if (!this.settings.smtpUrl) return { ok: false, error: 'mail.smtpUrl is empty: mail stays queued until it is set' };
    try {
      await this.transporter().verify();
      return { ok: true };
    } catch (err) {
      return { ok: false, error: errorText(err) };
    }
  }

  close(): void {
    this.transport?.close();
    this.transport = undefined;
  }

  private async claim(id: number, now: number): Promise<MailQueueItem | undefined> {
    const claimed = await this.db
      .write('mail_queue')
      .where('id', id)
      .andWhere((q) => claimable(q, now))
      .update({ status: 'sending', lease_owner: this.owner, lease_until: now + LEASE_MS });
    if (Number(claimed) !== 1) return undefined;
    const row = await this.db.write('mail_queue').where({ id, lease_owner: this.owner, status: 'sending' }).first();
    return row ? queueItemFromRow(row as Record<string, unknown>) : undefined;
  }

  private async deliver(item: MailQueueItem, now: number): Promise<'sent' | 'failed' | 'deferred'> {
    const mine = () => this.db.write('mail_queue').where({ id: item.id, lease_owner: this.owner, status: 'sending' });
    let rejected: string[] = [];
    try {
      const info = await this.transporter().sendMail({
        from: item.from,
        to: item.to,
        subject: item.subject,
        ...(item.bodyType === 'html' ? { html: item.body } : { text: item.body }),
      });
      rejected = (info.rejected ?? []).map(String);
    } catch (err) {
      const attempts = item.attempts + 1;
      const failed = attempts >= this.settings.maxAttempts;
      const error = errorText(err);
      await mine().update({
        status: failed ? 'failed' : 'pending',
        attempts,
        last_error: error.slice(0, 2000),
        next_attempt_at: failed ? now : now + backoffMs(attempts),
        lease_owner: null,
        lease_until: null,
      });
      this.log.warn({ mailId: item.id, attempts, failed, err: error }, 'mail delivery failed');
      return failed ? 'failed' : 'deferred';
    }
    // Some recipients refused while others accepted: the message is out, the refusal is noted.
    const note = rejected.length > 0 ? `rejected recipients: ${rejected.join(', ')}`.slice(0, 2000) : null;
    await mine().update({ status: 'sent', sent_at: Date.now(), last_error: note, lease_owner: null, lease_until: null });
    this.log.debug({ mailId: item.id, eventType: item.eventType }, 'mail sent');
    return 'sent';
  }

  private transporter(): Transporter {
    this.transport ??= nodemailer().createTransport({
      url: this.settings.smtpUrl,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 60_000,
    });
    return this.transport;
  }
}

/** Due pending rows, or rows left in 'sending' by a worker whose lease ran out. */
function claimable(q: Knex.QueryBuilder, now: number): Knex.QueryBuilder {
  return q
    .where((p) => p.where('status', 'pending').andWhere('next_attempt_at', '<=', now))
    .orWhere((s) => s.where('status', 'sending').andWhere('lease_until', '<', now));
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return code ? `${String(code)}: ${err.message}` : err.message;
  }
  return String(err);
}
