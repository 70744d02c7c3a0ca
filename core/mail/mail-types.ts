import { toBool, toDate } from '../db/module-db.js';
import type { BodyType } from './template.js';

export type MailStatus = 'pending' | 'sending' | 'sent' | 'failed';
export const MAIL_STATUSES: readonly MailStatus[] = ['pending', 'sending', 'sent', 'failed'];

export interface MailEventType {
  type: string;
  module: string;
  title: { en: string; ru: string };
  fields: string[];
}

export interface MailTemplate {
  id: number;
  eventType: string;
  /** '' = every site. */
  siteId: string;
  language: string;
  active: boolean;
  emailFrom: string;
  emailTo: string;
  subject: string;
  body: string;
  bodyType: BodyType;
  createdAt: Date;
  updatedAt: Date;
}

export interface MailTemplateInput {
  /** Absent = create. */
  id?: number;
  eventType: string;
  siteId?: string;
  language: string;
  active?: boolean;
  emailFrom?: string;
  emailTo?: string;
  subject: string;
  body: string;
  bodyType?: BodyType;
}

export interface MailQueueItem {
  id: number;
  eventType: string;
  templateId: number | null;
  siteId: string;
  language: string;
  from: string;
  to: string;
  subject: string;
  body: string;
  bodyType: BodyType;
  status: MailStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  createdAt: Date;
  sentAt: Date | null;
}

type Row = Record<string, unknown>;

export function eventTypeFromRow(r: Row): MailEventType {
  let fields: string[] = [];
  try {
    const parsed: unknown = JSON.parse(String(r.fields));
    if (Array.isArray(parsed)) fields = parsed.map(String);
  } catch {
    fields = [];
  }
  return { type: String(r.type), module: String(r.module), title: { en: String(r.title_en), ru: String(r.title_ru) }, fields };
}

export function templateFromRow(r: Row): MailTemplate {
  return {
    id: Number(r.id),
    eventType: String(r.event_type),
    siteId: String(r.site_id ?? ''),
    language: String(r.language),
    active: toBool(r.active),
    emailFrom: String(r.email_from),
    emailTo: String(r.email_to),
    subject: String(r.subject),
    body: String(r.body),
    bodyType: r.body_type === 'html' ? 'html' : 'text',
    createdAt: toDate(r.created_at)!,
    updatedAt: toDate(r.updated_at)!,
  };
}

export function queueItemFromRow(r: Row): MailQueueItem {
  return {
    id: Number(r.id),
    eventType: String(r.event_type),
    templateId: r.template_id === null || r.template_id === undefined ? null : Number(r.template_id),
    siteId: String(r.site_id),
    language: String(r.language),
    from: String(r.email_from),
    to: String(r.email_to),
    subject: String(r.subject),
    body: String(r.body),
    bodyType: r.body_type === 'html' ? 'html' : 'text',
    status: String(r.status) as MailStatus,
    attempts: Number(r.attempts),
    nextAttemptAt: toDate(r.next_attempt_at)!,
    lastError: r.last_error === null || r.last_error === undefined ? null : String(r.last_error),
    leaseOwner: r.lease_owner === null || r.lease_owner === undefined ? null : String(r.lease_owner),
    leaseUntil: toDate(r.lease_until),
    createdAt: toDate(r.created_at)!,
    sentAt: toDate(r.sent_at),
  };
}
