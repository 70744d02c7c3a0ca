import type { ModuleDb } from '../db/module-db.js';
import type { MailEventDefinition } from '../services.js';
import { mailErrors } from './mail-errors.js';
import { eventTypeFromRow, templateFromRow, type MailEventType, type MailTemplate, type MailTemplateInput } from './mail-types.js';

const LANGUAGE = /^[a-z]{2}(?:-[a-z]{2})?$/i;
const SITE_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** Event types and their templates (tables main_mail_event_types, main_mail_templates). */
export class MailTemplateStore {
  constructor(private readonly db: ModuleDb) {}

  async registerEvents(moduleId: string, defs: MailEventDefinition[]): Promise<void> {
    const now = Date.now();
    await this.db.transaction(async (tx) => {
      for (const def of defs) {
        if (!def.type || def.type.length > 100) throw mailErrors.MAIL_TEMPLATE_INVALID(`Mail event type "${def.type}" must be 1-100 characters`);
        await tx
          .table('mail_event_types')
          .insert({
            type: def.type,
            module: moduleId,
            title_en: def.title.en.slice(0, 255),
            title_ru: def.title.ru.slice(0, 255),
            fields: JSON.stringify(def.fields),
          })
          .onConflict('type')
          .merge(['module', 'title_en', 'title_ru', 'fields']);
        const existing = await tx.table('mail_templates').where({ event_type: def.type }).count({ n: '*' }).first();
        if (Number((existing as { n?: unknown } | undefined)?.n ?? 0) > 0) continue;
        for (const t of def.templates) {
          await tx.table('mail_templates').insert({
            event_type: def.type,
            site_id: '',
            language: t.language,
            active: true,
            email_from: '#DEFAULT_EMAIL_FROM#',
            email_to: t.to ?? '#EMAIL_TO#',
            subject: t.subject,
            body: t.body,
            body_type: 'text',
            created_at: now,
            updated_at: now,
          });
        }
      }
    });
  }

  async removeModule(moduleId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const types = (await tx.table('mail_event_types').where({ module: moduleId }).pluck('type')) as string[];
      if (types.length === 0) return;
      await tx.table('mail_templates').whereIn('event_type', types).delete();
      await tx.table('mail_event_types').whereIn('type', types).delete();
    });
  }

  async eventType(type: string): Promise<MailEventType | undefined> {
    const row = await this.db.read('mail_event_types').where({ type }).first();
    return row ? eventTypeFromRow(row) : undefined;
  }

  async listEventTypes(): Promise<MailEventType[]> {
    return (await this.db.read('mail_event_types').orderBy('type').select('*')).map(eventTypeFromRow);
  }

  /** Active templates of a type for a site (its own and the all-sites ones) in one language. */
  async activeFor(type: string, siteId: string, language: string): Promise<MailTemplate[]> {
    const rows = await this.db
      .read('mail_templates')
      .where({ event_type: type, language, active: true })
      .whereIn('site_id', siteId ? [siteId, ''] : [''])
      .orderBy('id')
      .select('*');
    return rows.map(templateFromRow);
  }

  async list(type?: string): Promise<MailTemplate[]> {
    const q = this.db.read('mail_templates').orderBy('event_type').orderBy('id');
    if (type) q.where({ event_type: type });
    return (await q.select('*')).map(templateFromRow);
  }

  async get(id: number): Promise<MailTemplate> {
    const row = await this.db.write('mail_templates').where({ id }).first();
    if (!row) throw mailErrors.MAIL_TEMPLATE_NOT_FOUND(String(id));
    return templateFromRow(row);
  }

  async save(input: MailTemplateInput): Promise<MailTemplate> {
    if (!(await this.eventType(String(input.eventType)))) throw mailErrors.MAIL_EVENT_UNKNOWN(String(input.eventType));
    const values = validateTemplate(input);
    const now = Date.now();
    if (input.id !== undefined) {
      const current = await this.get(input.id);
      await this.db.write('mail_templates').where({ id: current.id }).update({ ...values, updated_at: now });
      return this.get(current.id);
    }
    const [id] = await this.db.write('mail_templates').insert({ ...values, created_at: now, updated_at: now });
    return this.get(Number(id));
  }

  async delete(id: number): Promise<void> {
    const n = await this.db.write('mail_templates').where({ id }).delete();
    if (Number(n) === 0) throw mailErrors.MAIL_TEMPLATE_NOT_FOUND(String(id));
  }
}

function validateTemplate(input: MailTemplateInput): Record<string, unknown> {
  const invalid = (m: string) => mailErrors.MAIL_TEMPLATE_INVALID(m);
  const line = (name: string, value: unknown, max: number): string => {
    if (typeof value !== 'string' || value.trim() === '') throw invalid(`${name} is required`);
    if (/[\r\n]/.test(value)) throw invalid(`${name} must be a single line`);
    if (value.length > max) throw invalid(`${name} must be at most ${max} characters`);
    return value.trim();
  };
  const siteId = input.siteId ?? '';
  if (siteId !== '' && !SITE_ID.test(siteId)) throw invalid(`site id "${siteId}" is not valid`);
  if (!LANGUAGE.test(String(input.language))) throw invalid(`language "${input.language}" is not valid (e.g. "en", "ru")`);
  const bodyType = input.bodyType ?? 'text';
  if (bodyType !== 'text' && bodyType !== 'html') throw invalid('body type must be "text" or "html"');
  if (typeof input.body !== 'string') throw invalid('body is required');
  return {
    event_type: input.eventType,
    site_id: siteId,
    language: input.language.toLowerCase(),
    active: input.active ?? true,
    email_from: line('sender', input.emailFrom ?? '#DEFAULT_EMAIL_FROM#', 255),
    email_to: line('recipient', input.emailTo ?? '#EMAIL_TO#', 255),
    subject: line('subject', input.subject, 255),
    body: input.body,
    body_type: bodyType,
  };
}
