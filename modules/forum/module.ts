import { defineModule } from '../../core/modules/types.js';
import createForum from './migrations/2026-12-03-01-create-forum.js';
import createReads from './migrations/2026-12-03-02-create-reads.js';
import createSubscriptions from './migrations/2026-12-03-03-create-subscriptions.js';
import addSearch from './migrations/2026-12-03-04-add-search.js';
import addProfiles from './migrations/2026-12-03-11-add-profiles.js';
import addAttachments from './migrations/2026-12-03-12-add-attachments.js';
import createDigests from './migrations/2026-12-03-20-create-digests.js';
import addPageIndexes from './migrations/2026-12-03-25-add-page-indexes.js';
import { createForumApi, type ForumApi } from './api.js';
import { mailEvents } from './mail-events.js';
import { restRoutes } from './rest.js';
import { formRoutes } from './forms.js';
import { attachmentRoute } from './attachment-route.js';
import { moderationForms } from './moderation-forms.js';
import { restContentRoutes } from './rest-content.js';
import { uiRoutes } from './ui-routes.js';
import { forumCli } from './cli.js';
import en from './lang/en.js';
import ru from './lang/ru.js';
import { forumAdminRoutes } from './admin/index.js';
import { adminMenu } from './admin/menu.js';
import enAdmin from './lang/en-admin.js';
import ruAdmin from './lang/ru-admin.js';

/** The forum: categories, forums with per-group levels, topics, premoderated messages in safe BB-code. */
export default defineModule<ForumApi>({
  id: 'forum',
  version: '0.1.0',
  title: { en: 'Forum', ru: 'Форум' },
  dependencies: { main: '^0.1.0' },
  migrations: [createForum, createReads, createSubscriptions, addSearch, addProfiles, addAttachments, createDigests, addPageIndexes],
  options: {
    flood_posts: { type: 'number', default: 0, min: 0, max: 1000, title: { en: 'Flood control: posts allowed per window (0: off)', ru: 'Защита от флуда: сообщений за интервал (0 — выключена)' } },
    flood_window: { type: 'number', default: 60, min: 1, max: 86400, title: { en: 'Flood control: window, seconds', ru: 'Защита от флуда: интервал, секунд' } },
    attach_max_kb: { type: 'number', default: 5120, min: 0, max: 1048576, title: { en: 'Attachments: largest file, KB (0: no attachments)', ru: 'Вложения: наибольший файл, КБ (0 — без вложений)' } },
    attach_types: { type: 'string', default: 'jpg, jpeg, png, gif, webp, pdf, txt, doc, docx, xls, xlsx, odt, ods, zip', title: { en: 'Attachments: allowed extensions, separated by commas (empty: any)', ru: 'Вложения: разрешённые расширения через запятую (пусто — любые)' } },
    daily_digest: { type: 'boolean', default: false, title: { en: 'Subscriptions: one daily digest per subscriber instead of a mail per burst of posts', ru: 'Подписки: одна ежедневная сводка подписчику вместо письма на каждую серию сообщений' } },
    bad_words: { type: 'string', default: '', title: { en: 'Bad words, separated by commas or new lines (shown as ***)', ru: 'Нецензурные слова через запятую или с новой строки (заменяются на ***)' } },
  },
  rights: {
    // Module level: who manages every forum. Levels inside a forum (A..Y) live in forum_permissions.
    levels: {
      D: { title: { en: 'Per forum', ru: 'По форумам' }, operations: [] },
      X: { title: { en: 'Manage all forums', ru: 'Управление всеми форумами' }, operations: ['forum.manage'] },
    },
    defaultLevel: 'D',
    operations: { 'forum.manage': { en: 'Manage forums', ru: 'Управление форумами' } },
  },
  mailEvents,
  // Mail for subscriptions goes out here, not per post: a burst of replies becomes one mail per subscriber.
  // With the option daily_digest the hourly digest agent sends instead (modules/forum/digest.ts).
  agents: (ctx) => [
    { name: 'notify-subscribers', interval: 60, run: async () => void ((await ctx.option('daily_digest')) || (await ctx.kernel.api('forum').sendSubscriptionMail())) },
    { name: 'send-digest', interval: 3600, run: async () => void ((await ctx.option('daily_digest')) && (await ctx.kernel.api('forum').sendDigests())) },
  ],
  lang: { en: { ...en, ...enAdmin }, ru: { ...ru, ...ruAdmin } },
  admin: { menu: adminMenu },
  routes: (router, ctx) => {
    restRoutes(router, ctx);
    formRoutes(router, ctx);
    restContentRoutes(router, ctx);
    attachmentRoute(router, ctx);
    moderationForms(router, ctx);
    uiRoutes(router, ctx);
    forumAdminRoutes(router, ctx);
  },
  // The forum's URLs belong to the complex component forum.main (components/forum.main); rights are per forum.
  pages: [{ path: '/forum/', title: { en: 'Forum', ru: 'Форум' }, placements: [{ component: 'forum.main', params: { topicsPerPage: 20, messagesPerPage: 20 } }] }],
  cli: forumCli,
  setup: (ctx) => createForumApi(ctx),
});
