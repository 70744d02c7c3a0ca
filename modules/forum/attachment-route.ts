import type { ModuleContext, ModuleRouter } from '../../core/modules/types.js';
import { coreErrors } from '../../core/errors/codes.js';
import { serveFile } from '../../core/files/serve-file.js';

/**
 * GET /forum/attachment/<id>/: the attachment's file, served only when the visitor may read its message (the forum's
 * read level; for an unapproved or deleted message, its author or a moderator), whatever file id it points at.
 */
export function attachmentRoute(router: ModuleRouter, { kernel }: ModuleContext): void {
  router.get('/forum/attachment/:id/', async (ctx) => {
    const raw = ctx.params.id ?? '';
    if (!/^[1-9]\d{0,15}$/.test(raw)) throw coreErrors.NOT_FOUND(`Attachment "${raw}"`);
    const { file } = await kernel.api('forum').attachments.forDownload(ctx.state.principal, Number(raw));
    await serveFile(ctx as never, kernel.files, file);
  });
}
