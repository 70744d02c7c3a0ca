import type { ModuleContext, ModuleRouter } from '../../../../core/modules/types.js';
import { coreErrors } from '../../../../core/errors/codes.js';
import type { MailEventType, MailTemplate } from '../../../../core/mail/mail-service.js';
import { checked, done, formError, intId, query, str, type AdminKit, type Ctx } from './http.js';

interface TemplateForm {
  eventType: string;
  siteId: string;
  language: string;
  active: boolean;
  emailFrom: string;
  emailTo: string;
  subject: string;
  body: string;
  bodyType: string;
}

/** /admin/mail/: event types and their templates (list, add per site and language, edit, delete). */
export function mailRoutes(router: ModuleRouter, _mctx: ModuleContext, kit: AdminKit): void {
  const { kernel } = kit;
  const manage = kit.change('main.mail.manage');

  router.get('/admin/mail/', kit.view, async (ctx) => {
    const [types, templates, stats, sites] = await Promise.all([kernel.mail.listEventTypes(), kernel.mail.listTemplates(), kernel.mail.stats(), kernel.sites.list()]);
    const siteNames = new Map(sites.map((s) => [s.id, s.name]));
    const events = types.map((et) => ({
      ...et,
      templates: templates.filter((tp) => tp.eventType === et.type).map((tp) => ({ ...tp, siteName: tp.siteId ? (siteNames.get(tp.siteId) ?? tp.siteId) : '' })),
    }));
    await kit.render(ctx, 'mail', kit.t(ctx, 'ADM_MAIL'), { events, stats, canManage: await kit.can(ctx, 'main.mail.manage') });
  });

  router.get('/admin/mail/templates/new/', kit.view, async (ctx) => {
    const eventType = await eventTypeOf(kit, query(ctx, 'type'));
    await renderForm(kit, ctx, eventType, null, {
      eventType: eventType.type, siteId: '', language: ctx.state.language === 'ru' ? 'ru' : 'en', active: true,
      emailFrom: '#DEFAULT_EMAIL_FROM#', emailTo: '#EMAIL_TO#', subject: '', body: '', bodyType: 'text',
    });
  });

  router.post('/admin/mail/templates/new/', ...manage, async (ctx) => {
    const form = readForm(ctx.request.body);
    const eventType = await eventTypeOf(kit, form.eventType);
    let saved: MailTemplate;
    try {
      saved = await kernel.mail.saveTemplate(toInput(kit, ctx, form));
    } catch (err) {
      const e = formError(err);
      return renderForm(kit, ctx, eventType, null, form, e.message, e.status);
    }
    done(ctx, `/admin/mail/templates/${saved.id}/`, 'created');
  });

  router.get('/admin/mail/templates/:id/', kit.view, async (ctx) => {
    const tpl = await kernel.mail.getTemplate(intId(ctx.params.id, 'mail template'));
    await renderForm(kit, ctx, await eventTypeOf(kit, tpl.eventType), tpl, { ...tpl });
  });

  router.post('/admin/mail/templates/:id/', ...manage, async (ctx) => {
    const tpl = await kernel.mail.getTemplate(intId(ctx.params.id, 'mail template'));
    const form = { ...readForm(ctx.request.body), eventType: tpl.eventType };
    try {
      await kernel.mail.saveTemplate({ ...toInput(kit, ctx, form), id: tpl.id });
    } catch (err) {
      const e = formError(err);
      return renderForm(kit, ctx, await eventTypeOf(kit, tpl.eventType), tpl, form, e.message, e.status);
    }
    done(ctx, `/admin/mail/templates/${tpl.id}/`, 'saved');
  });

  router.get('/admin/mail/templates/:id/delete/', kit.view, async (ctx) => {
    const tpl = await kernel.mail.getTemplate(intId(ctx.params.id, 'mail template'));
    await renderDelete(kit, ctx, tpl);
  });

  router.post('/admin/mail/templates/:id/delete/', ...manage, async (ctx) => {
    const tpl = await kernel.mail.getTemplate(intId(ctx.params.id, 'mail template'));
    await kernel.mail.deleteTemplate(tpl.id);
    done(ctx, '/admin/mail/', 'deleted');
  });
}

async function eventTypeOf(kit: AdminKit, type: string): Promise<MailEventType> {
  const found = (await kit.kernel.mail.listEventTypes()).find((et) => et.type === type);
  if (!found) throw coreErrors.NOT_FOUND(`mail event type "${type.slice(0, 100)}"`);
  return found;
}

function readForm(body: unknown): TemplateForm {
  return {
    eventType: str(body, 'eventType'),
    siteId: str(body, 'siteId'),
    language: str(body, 'language'),
    active: checked(body, 'active'),
    emailFrom: str(body, 'emailFrom'),
    emailTo: str(body, 'emailTo'),
    subject: str(body, 'subject'),
    body: str(body, 'body'),
    bodyType: str(body, 'bodyType') || 'text',
  };
}

function toInput(kit: AdminKit, ctx: Ctx, form: TemplateForm) {
  if (form.bodyType !== 'text' && form.bodyType !== 'html') throw coreErrors.VALIDATION_FAILED(kit.t(ctx, 'ADM_MAIL_BODY_TYPE_INVALID'));
  return { ...form, bodyType: form.bodyType as 'text' | 'html' };
}

async function renderForm(kit: AdminKit, ctx: Ctx, eventType: MailEventType, tpl: MailTemplate | null, form: TemplateForm, error: string | null = null, status = 200): Promise<void> {
  const lang = ctx.state.language === 'ru' ? 'ru' : 'en';
  const title = tpl ? kit.t(ctx, 'ADM_MAIL_TEMPLATE_EDIT', { ID: tpl.id }) : kit.t(ctx, 'ADM_MAIL_TEMPLATE_NEW');
  await kit.render(ctx, 'mail-template', title, {
    heading: title,
    eventType: { ...eventType, titleText: eventType.title[lang] },
    editing: tpl,
    form,
    sites: await kit.kernel.sites.list(),
    error,
    canManage: await kit.can(ctx, 'main.mail.manage'),
  }, status);
}

function renderDelete(kit: AdminKit, ctx: Ctx, tpl: MailTemplate): Promise<void> {
  const heading = kit.t(ctx, 'ADM_MAIL_TEMPLATE_DELETE_TITLE', { ID: tpl.id });
  return kit.render(ctx, '@admin/confirm', heading, {
    heading,
    message: kit.t(ctx, 'ADM_MAIL_TEMPLATE_DELETE_TEXT', { SUBJECT: tpl.subject, TYPE: tpl.eventType }),
    action: `/admin/mail/templates/${tpl.id}/delete/`,
    button: kit.t(ctx, 'ADM_DELETE'),
    cancel: `/admin/mail/templates/${tpl.id}/`,
  });
}
