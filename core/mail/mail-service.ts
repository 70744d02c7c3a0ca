import { createHash } from 'node:crypto';
import type { PortalConfig } from '../config/types.js';
import type { ModuleDb } from '../db/module-db.js';
import type { Logger } from '../log/logger.js';
import type { MailEventDefinition } from '../services.js';
import { parseAddressList } from './addresses.js';
import { mailErrors } from './mail-errors.js';
import { MailQueueWorker, type ProcessResult } from './mail-queue.js';
import { MailTemplateStore } from './mail-templates.js';
import {
  MAIL_STATUSES,
  queueItemFromRow,
  type MailEventType,
  type MailQueueItem,
  type MailStatus,
  type MailTemplate,
  type MailTemplateInput,
} from './mail-types.js';
import { renderMail, stripHeaderBreaks, type MailFields } from './template.js';

export type { MailEventType, MailQueueItem, MailStatus, MailTemplate, MailTemplateInput, ProcessResult };

export interface SendOptions {
  siteId: string;
  language: string;
  /** Recipient list for every template of the event; also fills #EMAIL_TO# when the fields lack it. */
  to?: string;
  /**
   * Idempotency key: a second send with the same key queues nothing and returns the first send's ids (for senders
   * that may repeat a send after a crash).
   */
  key?: string;
}

/**
 * Mail events (Bitrix CEvent): modules declare event types with default templates,
 * `send` renders the active templates into the queue, and `processQueue` delivers it.
 */
export class MailService {
  private readonly db: ModuleDb;
  private readonly log: Logger;
  private readonly config: PortalConfig['mail'];
  private readonly templates: MailTemplateStore;
  private readonly worker: MailQueueWorker;

  constructor({ db, log, config }: { db: ModuleDb; log: Logger; config: PortalConfig['mail'] }) {
    this.db = db;
    this.log = log;
    this.config = config;
    this.templates = new MailTemplateStore(db);
    this.worker = new MailQueueWorker(db, log, config);
  }

  /** Upserts the module's event types; default templates are added only to types that have none. */
  registerEvents(moduleId: string, defs: MailEventDefinition[]): Promise<void> {
    return this.templates.registerEvents(moduleId, defs);
  }

  /** Removes the module's event types and their templates; queued messages stay for the record. */
  removeModule(moduleId: string): Promise<void> {
    return this.templates.removeModule(moduleId);
  }

  /** Renders every active template of `type` for the site and language into the queue; returns queue ids. */
  async send(type: string, fields: Record<string, string | number>, options: SendOptions): Promise<number[]> {
    const eventType = await this.templates.eventType(type);
    if (!eventType) throw mailErrors.MAIL_EVENT_UNKNOWN(type);
    const { siteId, language } = options;
    const all: MailFields = { ...fields, DEFAULT_EMAIL_FROM: this.config.from, SITE_ID: siteId };
    if (options.to !== undefined && (fields.EMAIL_TO === undefined || fields.EMAIL_TO === '')) all.EMAIL_TO = options.to;

    let templates = await this.templates.activeFor(type, siteId, language);
    if (templates.length === 0 && language !== 'en') templates = await this.templates.activeFor(type, siteId, 'en');
    if (templates.length === 0) {
      this.log.debug({ type, siteId, language }, 'mail event has no active template; nothing queued');
      return [];
    }

    const now = Date.now();
    const rows = templates.map((t, i) => {
      const mail = renderMail(t, all);
      const to = options.to !== undefined ? stripHeaderBreaks(options.to).trim() : mail.to;
      if (!parseAddressList(to)) throw mailErrors.MAIL_RECIPIENT_INVALID(`Mail event ${type}: "${to}" is not a valid recipient list`);
      const from = parseAddressList(mail.from);
      if (!from || from.length !== 1) throw mailErrors.MAIL_SENDER_INVALID(`Mail event ${type}: "${mail.from}" is not a valid sender`);
      return {
        event_type: type,
        template_id: t.id,
        site_id: siteId,
        language: t.language,
        email_from: mail.from.slice(0, 255),
        email_to: to,
        subject: Array.from(mail.subject).slice(0, 998).join(''),
        body: mail.body,
        body_type: mail.bodyType,
        status: 'pending',
        attempts: 0,
        next_attempt_at: now,
        created_at: now,
        dedupe_key: options.key === undefined ? null : `${queueKey(options.key)}#${i}`,
      };
    });
    const insert = () =>
      this.db.transaction(async (tx) => {
        if (options.key !== undefined) {
          const known = await tx.table('mail_queue').whereIn('dedupe_key', rows.map((r) => r.dedupe_key!)).orderBy('id').pluck('id');
          if (known.length) return known.map(Number);
        }
        const ids: number[] = [];
        for (const row of rows) {
          const [id] = await tx.table('mail_queue').insert(row);
          ids.push(Number(id));
        }
        return ids;
      });
    try {
      return await insert();
    } catch (err) {
      if (options.key === undefined || !isDuplicateKey(err)) throw err;
      return insert(); // a concurrent send with the same key won; return its ids
    }
  }

  /** Delivers due messages (one agent run). Does nothing while no SMTP server is configured. */
  processQueue({ limit = 50, now = Date.now() }: { limit?: number; now?: number } = {}): Promise<ProcessResult> {
    return this.worker.process({ limit, now });
  }

  async queue({ status, limit = 50, offset = 0 }: { status?: MailStatus; limit?: number; offset?: number } = {}): Promise<MailQueueItem[]> {
    const q = this.db.read('mail_queue').orderBy('id', 'desc').limit(clamp(limit, 1, 500)).offset(Math.max(0, offset));
    if (status) q.where({ status });
    return (await q.select('*')).map(queueItemFromRow);
  }

  async queueItem(id: number): Promise<MailQueueItem> {
    const row = await this.db.write('mail_queue').where({ id }).first();
    if (!row) throw mailErrors.MAIL_QUEUE_NOT_FOUND(String(id));
    return queueItemFromRow(row);
  }

  /** Puts a failed (or waiting) message back to pending, due now, with a fresh attempt count. */
  async retry(id: number): Promise<MailQueueItem> {
    const item = await this.queueItem(id);
    if (item.status !== 'failed' && item.status !== 'pending') {
      throw mailErrors.MAIL_RETRY_NOT_ALLOWED(`Message ${id} is ${item.status}; only failed or pending messages can be retried`);
    }
    await this.db
      .write('mail_queue')
      .where({ id, status: item.status })
      .update({ status: 'pending', attempts: 0, next_attempt_at: Date.now(), lease_owner: null, lease_until: null });
    return this.queueItem(id);
  }

  async stats(): Promise<Record<MailStatus, number>> {
    const out = Object.fromEntries(MAIL_STATUSES.map((s) => [s, 0])) as Record<MailStatus, number>;
    const rows = (await this.db.read('mail_queue').select('status').count({ n: '*' }).groupBy('status')) as { status: string; n: unknown }[];
    for (const r of rows) out[r.status as MailStatus] = Number(r.n);
    return out;
  }

  listEventTypes(): Promise<MailEventType[]> {
    return this.templates.listEventTypes();
  }

  listTemplates(type?: string): Promise<MailTemplate[]> {
    return this.templates.list(type);
  }

  getTemplate(id: number): Promise<MailTemplate> {
    return this.templates.get(id);
  }

  saveTemplate(input: MailTemplateInput): Promise<MailTemplate> {
    return this.templates.save(input);
  }

  deleteTemplate(id: number): Promise<void> {
    return this.templates.delete(id);
  }

  /** Checks the SMTP connection and login (`portal doctor`). */
  verifyTransport(): Promise<{ ok: boolean; error?: string }> {
    return this.worker.verify();
  }

  async close(): Promise<void> {
    this.worker.close();
  }
}

/** The key as stored: short keys as they are, longer ones as their SHA-256 (the column holds 190 characters). */
function queueKey(key: string): string {
  return key.length <= 180 ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

function isDuplicateKey(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === 'ER_DUP_ENTRY' || /UNIQUE constraint failed/.test(e?.message ?? '');
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.floor(Number.isFinite(n) ? n : min)));
}
