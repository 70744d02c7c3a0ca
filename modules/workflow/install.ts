import type { ModuleContext } from '../../core/modules/types.js';
import { parseTemplate } from './schema.js';
import { writeTemplate } from './templates-api.js';
import { shippedTemplates } from './shipped/templates.js';

const STATUSES = [
  { code: 'draft', name_en: 'Draft', name_ru: 'Черновик', sort: 10, published: false },
  { code: 'ready', name_en: 'Ready for publishing', name_ru: 'Готов к публикации', sort: 20, published: false },
  { code: 'published', name_en: 'Published', name_ru: 'Опубликован', sort: 30, published: true },
];

/**
 * Seeds the three classic statuses (signed-in employees may move into and edit in "draft" and "ready", and edit a
 * published document, which keeps the edit as its draft; only admins publish until an admin lets a group move
 * documents into "published") and the shipped templates, switched off.
 */
export async function installWorkflow(ctx: ModuleContext): Promise<void> {
  const registered = (await ctx.kernel.groups.list()).find((g) => g.code === 'registered');
  for (const s of STATUSES) {
    if (await ctx.db.write('statuses').where({ code: s.code }).first('id')) continue;
    const [id] = await ctx.db.write('statuses').insert(s);
    // In "published" they may edit (which makes a draft) but not move documents into it.
    if (registered) await ctx.db.write('status_rights').insert({ status_id: Number(id), group_id: registered.id, can_move: !s.published, can_edit: true });
  }
  // The module's API is not active yet while it installs: the shipped templates are written directly (their
  // document types are this module's own adapters; test/workflow checks they pass the schema).
  for (const t of shippedTemplates) {
    if (!(await ctx.db.write('templates').where({ code: t.code }).first('id'))) await writeTemplate(ctx, parseTemplate(t));
  }
}
