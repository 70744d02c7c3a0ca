import type { ModuleContext } from '../../core/modules/types.js';
import type { ModuleTx } from '../../core/db/module-db.js';
import type { Principal } from '../../core/services.js';
import type { StoredFile } from '../../core/files/file-service.js';
import { defineErrors } from '../../core/errors/portal-error.js';
import { formatBytes } from '../../core/files/file-errors.js';
import { safeFileName } from '../../core/files/safe-name.js';
import type { ForumAccess } from './access.js';
import type { AttachmentUpload, Message } from './types.js';

export const attachmentErrors = defineErrors({
  FORUM_ATTACHMENT_NOT_FOUND: { status: 404, message: (id) => `Attachment ${id} does not exist` },
  FORUM_ATTACHMENTS_OFF: { status: 400, message: () => 'Attachments are turned off in this forum' },
  FORUM_ATTACHMENT_TOO_LARGE: { status: 413, message: (max) => `An attachment may be at most ${max}` },
  FORUM_ATTACHMENT_TYPE: { status: 415, message: (allowed) => `This type of file cannot be attached (allowed: ${allowed})` },
  FORUM_TOO_MANY_ATTACHMENTS: { status: 400, message: (max) => `At most ${max} files can be attached to one message` },
});

/** At most this many files per message. */
export const MAX_ATTACHMENTS = 5;


export interface Attachment {
  id: number;
  messageId: number;
  fileId: number;
  /** The name as the author gave it: print it escaped. */
  name: string;
  mimeType: string;
  size: number;
  /** The forum's download route; it checks the reader's rights on the message. */
  url: string;
}

export const attachmentUrl = (id: number): string => `/forum/attachment/${id}/`;

const toAttachment = (r: Record<string, unknown>): Attachment => ({
  id: Number(r.id),
  messageId: Number(r.message_id),
  fileId: Number(r.file_id),
  name: String(r.name),
  mimeType: String(r.mime_type),
  size: Number(r.size),
  url: attachmentUrl(Number(r.id)),
});

const extensionOf = (name: string): string => {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
};

/** The allowed extensions of the `attach_types` option (commas, spaces or new lines; empty: any type). */
const allowedTypes = (option: unknown): Set<string> =>
  new Set(String(option ?? '').split(/[\s,;]+/).map((x) => x.replace(/^\./, '').toLowerCase()).filter(Boolean));

/**
 * Files attached to messages, stored as kernel files (module "forum"). Downloading one, through /forum/attachment/<id>/
 * or the file's /upload/ URL, needs what reading its message needs: the forum's read level, and for a message that is
 * unapproved or deleted, being its author or a moderator. `seeMessage` is the reading API's visibility check.
 */
export function createAttachments(ctx: ModuleContext, access: ForumAccess, seeMessage: (principal: Principal, messageId: number) => Promise<Message>) {
  const { db, kernel } = ctx;

  async function limits(): Promise<{ maxBytes: number; types: Set<string> }> {
    return { maxBytes: Number(await ctx.option('attach_max_kb')) * 1024, types: allowedTypes(await ctx.option('attach_types')) };
  }

  async function row(id: number): Promise<Attachment> {
    const r = Number.isSafeInteger(id) && id > 0 ? await db.read('attachments').where({ id }).first() : undefined;
    if (!r) throw attachmentErrors.FORUM_ATTACHMENT_NOT_FOUND(String(id));
    return toAttachment(r);
  }

  /** Whether the principal may download the attachment's file (the message's visibility decides). */
  async function mayRead(principal: Principal, a: Attachment): Promise<boolean> {
    try {
      await seeMessage(principal, a.messageId);
      return true;
    } catch (err) {
      if ((err as { status?: number }).status === 403 || (err as { status?: number }).status === 404) return false;
      throw err;
    }
  }

  kernel.files.setReadCheck('forum', async (principal, file) => {
    const r = await db.read('attachments').where({ file_id: file.id }).first();
    if (r) return mayRead(principal, toAttachment(r));
    // Saved but not (yet) attached: the uploader and forum managers only.
    return (principal.userId !== null && file.createdBy === principal.userId) || (await access.isManager(principal));
  });

  async function discard(files: readonly StoredFile[]): Promise<void> {
    for (const f of files) await kernel.files.delete(f.id).catch(() => undefined);
  }

  async function ofMessages(messageIds: number[]): Promise<Map<number, Attachment[]>> {
    const out = new Map<number, Attachment[]>();
    if (!messageIds.length) return out;
    for (const r of (await db.read('attachments').whereIn('message_id', messageIds).orderBy('id')) as Record<string, unknown>[]) {
      const a = toAttachment(r);
      out.set(a.messageId, [...(out.get(a.messageId) ?? []), a]);
    }
    return out;
  }

  return {
    limits,

    /**
     * Checks the uploads against the options (count, size, type) and saves them as kernel files, before the posting
     * transaction; nothing is saved when one is refused. Give the result to `link` in the transaction, or to `discard`.
     */
    async store(principal: Principal, uploads: readonly AttachmentUpload[] | undefined): Promise<StoredFile[]> {
      if (!uploads?.length) return [];
      const { maxBytes, types } = await limits();
      if (maxBytes <= 0) throw attachmentErrors.FORUM_ATTACHMENTS_OFF();
      if (uploads.length > MAX_ATTACHMENTS) throw attachmentErrors.FORUM_TOO_MANY_ATTACHMENTS(String(MAX_ATTACHMENTS));
      for (const u of uploads) {
        const size = 'buffer' in u ? u.buffer.length : u.size;
        if (size > maxBytes) throw attachmentErrors.FORUM_ATTACHMENT_TOO_LARGE(formatBytes(maxBytes), { maxBytes, name: u.name });
        if (types.size && !types.has(extensionOf(safeFileName(u.name)))) throw attachmentErrors.FORUM_ATTACHMENT_TYPE([...types].join(', '), { name: u.name });
      }
      const saved: StoredFile[] = [];
      try {
        for (const u of uploads) {
          const source = 'buffer' in u ? { buffer: u.buffer } : { path: u.path };
          saved.push(await kernel.files.save({ module: 'forum', name: u.name, mimeType: u.mimeType, createdBy: principal.userId, ...source }));
        }
      } catch (err) {
        await discard(saved);
        throw err;
      }
      return saved;
    },

    /** Records the saved files as the message's attachments, inside the posting transaction. */
    async link(tx: ModuleTx, messageId: number, files: readonly StoredFile[]): Promise<void> {
      for (const f of files) {
        await tx.table('attachments').insert({ message_id: messageId, file_id: f.id, name: f.originalName, mime_type: f.mimeType, size: f.size, created_at: Date.now() });
      }
    },

    /** Deletes saved files whose message was not written. */
    discard,

    /** Attachments of the given messages (callers have checked that the reader sees those messages). */
    ofMessages,

    /** The attachments of one message the principal may read. */
    async list(principal: Principal, messageId: number): Promise<Attachment[]> {
      await seeMessage(principal, messageId);
      return (await ofMessages([messageId])).get(messageId) ?? [];
    },

    /** The attachment and its stored file, for a download; 403/404 unless the principal may read its message. */
    async forDownload(principal: Principal, id: number): Promise<{ attachment: Attachment; file: StoredFile }> {
      const a = await row(id);
      await seeMessage(principal, a.messageId);
      return { attachment: a, file: await kernel.files.get(a.fileId) };
    },
  };
}

export type Attachments = ReturnType<typeof createAttachments>;
