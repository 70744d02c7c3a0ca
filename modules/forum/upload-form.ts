import type Koa from 'koa';
import type { PortalKernel } from '../../core/kernel-handle.js';
import { parseMultipart } from '../../core/files/parse-upload.js';
import { MAX_ATTACHMENTS } from './attachments.js';
import type { AttachmentUpload } from './types.js';

const MULTIPART = /^multipart\/form-data\b/i;

/**
 * The files of a reply or new-topic form sent as multipart/form-data (the form without JS): parses the body, puts
 * its fields where urlencoded fields are (ctx.request.body) and returns the non-empty files of the field "files".
 * An urlencoded form has no files. The CSRF token was checked before (it comes before the files in the form).
 */
export async function formUploads(ctx: Koa.Context, kernel: PortalKernel): Promise<AttachmentUpload[]> {
  if (!MULTIPART.test(ctx.get('Content-Type'))) return [];
  const limitKb = Number(await kernel.options.get('forum', 'attach_max_kb'));
  const maxBytes = limitKb > 0 ? limitKb * 1024 : kernel.config.security.uploadMaxBytes;
  const upload = await parseMultipart(ctx, { maxBytes, maxFiles: MAX_ATTACHMENTS + 1, maxFields: 20, maxFieldBytes: 256 * 1024 });
  ctx.request.body = upload.fields;
  return upload.files.filter((f) => f.field === 'files' && f.size > 0).map((f) => ({ name: f.name, mimeType: f.mimeType, path: f.tmpPath, size: f.size }));
}
