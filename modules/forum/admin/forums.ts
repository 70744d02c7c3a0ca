import type { ModuleRouter } from '../../../core/modules/types.js';
import { checked, done, intId, str } from '../../../core/http/admin-forms.js';
import type { Forum } from '../types.js';
import { BASE, type Ctx, type ForumKit } from './kit.js';

interface ForumForm {
  name: string;
  description: string;
  categoryId: string;
  sort: string;
  premoderation: boolean;
}

const BLANK: ForumForm = { name: '', description: '', categoryId: '', sort: '100', premoderation: false };

/** /admin/forum/: the forums of a site by category, the new-forum and edit forms, and deleting with a confirmation. */
export function forumRoutes(router: ModuleRouter, kit: ForumKit): void {
  const manage = kit.change('forum.manage');

  router.get(BASE, ...manage, async (ctx) => {
    const { siteId } = await kit.site(ctx);
    await renderList(kit, ctx, siteId, { name: '', sort: '100' });
  });

  router.get(`${BASE}new/`, ...manage, async (ctx) => {
    const { siteId } = await kit.site(ctx);
    await renderForm(kit, ctx, null, siteId, BLANK);
  });

  router.post(`${BASE}new/`, ...manage, async (ctx) => {
    const { siteId } = await kit.site(ctx, str(ctx.request.body, 'site'));
    const form = readForm(ctx.request.body);
    let forum: Forum;
    try {
      forum = await kit.api().admin.createForum(ctx.state.principal, { ...settingsOf(form), siteId: str(ctx.request.body, 'site') });
    } catch (err) {
      const e = kit.formError(ctx, err);
      return renderForm(kit, ctx, null, siteId, form, e.message, e.status);
    }
    done(ctx, `${BASE}${forum.id}/`, 'created');
  });

  router.get(`${BASE}:id/`, ...manage, async (ctx) => {
    const forum = await kit.api().forums.get(ctx.state.principal, intId(ctx.params.id, 'forum'));
    await renderForm(kit, ctx, forum, forum.siteId, formOf(forum));
  });

  router.post(`${BASE}:id/`, ...manage, async (ctx) => {
    const forum = await kit.api().forums.get(ctx.state.principal, intId(ctx.params.id, 'forum'));
    const form = readForm(ctx.request.body);
    try {
      await kit.api().admin.updateForum(ctx.state.principal, forum.id, settingsOf(form));
    } catch (err) {
      const e = kit.formError(ctx, err);
      return renderForm(kit, ctx, forum, forum.siteId, form, e.message, e.status);
    }
    done(ctx, `${BASE}${forum.id}/`, 'saved');
  });

  router.get(`${BASE}:id/delete/`, ...manage, async (ctx) => {
    const forum = await kit.api().forums.get(ctx.state.principal, intId(ctx.params.id, 'forum'));
    await renderDelete(kit, ctx, forum);
  });

  router.post(`${BASE}:id/delete/`, ...manage, async (ctx) => {
    const forum = await kit.api().forums.get(ctx.state.principal, intId(ctx.params.id, 'forum'));
    try {
      await kit.api().admin.deleteForum(ctx.state.principal, forum.id, { withTopics: checked(ctx.request.body, 'withTopics') });
    } catch (err) {
      const e = kit.formError(ctx, err);
      return renderDelete(kit, ctx, forum, e.message, e.status);
    }
    done(ctx, `${BASE}?site=${encodeURIComponent(forum.siteId)}`, 'deleted');
  });
}

/** The forum list of a site by category (forums without one, or in a category of another site, last), with the new-category form. */
export async function renderList(kit: ForumKit, ctx: Ctx, siteId: string, catForm: { name: string; sort: string }, catError: string | null = null, status = 200): Promise<void> {
  const { sites } = await kit.site(ctx);
  const categories = await kit.api().forums.categories(siteId);
  const forums = await kit.api().forums.list(ctx.state.principal, siteId);
  const loose = forums.filter((f) => !categories.some((c) => c.id === f.categoryId));
  const groups = [...categories.map((c) => ({ category: c, forums: forums.filter((f) => f.categoryId === c.id) })), ...(loose.length ? [{ category: null, forums: loose }] : [])];
  await kit.render(ctx, 'forums', kit.t(ctx, 'FORUMA_FORUMS'), { siteId, sites, groups, count: forums.length, catForm, catError }, status);
}

function readForm(body: unknown): ForumForm {
  return { name: str(body, 'name'), description: str(body, 'description'), categoryId: str(body, 'categoryId'), sort: str(body, 'sort').trim(), premoderation: checked(body, 'premoderation') };
}

function formOf(f: Forum): ForumForm {
  return { name: f.name, description: f.description, categoryId: f.categoryId === null ? '' : String(f.categoryId), sort: String(f.sort), premoderation: f.premoderation };
}

/** The form as API input; a category id that is not a number is passed on as one no category has (the API refuses it). */
function settingsOf(form: ForumForm) {
  const categoryId = form.categoryId === '' ? null : /^[1-9]\d{0,9}$/.test(form.categoryId) ? Number(form.categoryId) : -1;
  return { name: form.name, description: form.description, categoryId, sort: form.sort, premoderation: form.premoderation };
}

async function renderForm(kit: ForumKit, ctx: Ctx, forum: Forum | null, siteId: string, form: ForumForm, error: string | null = null, status = 200): Promise<void> {
  const title = forum ? kit.t(ctx, 'FORUMA_FORUM_EDIT', { NAME: forum.name }) : kit.t(ctx, 'FORUMA_FORUM_NEW');
  const { sites } = await kit.site(ctx);
  await kit.render(ctx, 'forum-form', title, { heading: title, forum, siteId, siteName: sites.find((s) => s.id === siteId)?.name ?? siteId, form, error, categories: await kit.api().forums.categories(siteId) }, status, { breadcrumbs: kit.crumbs(ctx) });
}

async function renderDelete(kit: ForumKit, ctx: Ctx, forum: Forum, error: string | null = null, status = 200): Promise<void> {
  const { topics, messages } = await kit.api().admin.contentsOf(ctx.state.principal, forum.id);
  const heading = kit.t(ctx, 'FORUMA_FORUM_DELETE_TITLE', { NAME: forum.name });
  await kit.render(ctx, '@admin/confirm', heading, {
    heading,
    message: topics ? kit.t(ctx, 'FORUMA_FORUM_DELETE_WITH_TOPICS', { TOPICS: topics, MESSAGES: messages }) : kit.t(ctx, 'FORUMA_FORUM_DELETE_EMPTY'),
    action: `${BASE}${forum.id}/delete/`,
    cancel: `${BASE}${forum.id}/`,
    hidden: topics ? [['withTopics', '1']] : [],
    button: topics ? kit.t(ctx, 'FORUMA_FORUM_DELETE_ALL', { TOPICS: topics }) : kit.t(ctx, 'ADM_DELETE'),
    error,
  }, status, { breadcrumbs: kit.crumbs(ctx) });
}
