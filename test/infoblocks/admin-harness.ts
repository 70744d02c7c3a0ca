import mainModule from '../../modules/main/module.js';
import infoblocksModule from '../../modules/infoblocks/module.js';
import type { InfoblocksApi } from '../../modules/infoblocks/api.js';
import type { Principal } from '../../core/services.js';
import type { DbKind } from '../harness/db-matrix.js';
import type { HttpClient } from '../harness/http-client.js';
import { alertText as rawAlert, csrfOf, startAdminEnv, type AdminEnv } from '../admin/harness.js';

export { assertCsrfRequired, page, submit } from '../admin/harness.js';

export const root: Principal = { userId: null, groupIds: [], isAdmin: true };

export interface IbAdminEnv extends AdminEnv {
  api: InfoblocksApi;
  typeId: number;
}

/** The admin test portal (boss, vera the admin viewer, ivan) with infoblocks installed and a type "content". */
export async function startIbAdminEnv(kind: DbKind, opts: { uploadMaxBytes?: number } = {}): Promise<IbAdminEnv> {
  const overrides = opts.uploadMaxBytes ? { security: { uploadMaxBytes: opts.uploadMaxBytes } } : undefined;
  const env = await startAdminEnv(kind, { definitions: [mainModule, infoblocksModule], overrides });
  await env.t.kernel.modules.install('infoblocks');
  const api = env.t.kernel.api('infoblocks');
  const type = await api.iblocks.addType(root, { code: 'content', names: { en: 'Content', ru: 'Контент' } });
  return Object.assign(env, { api, typeId: type.id });
}

export interface UploadFile {
  field: string;
  name: string;
  type: string;
  data: Buffer;
}

/** POSTs a multipart form the way the element form does: the CSRF token as the first field. */
export async function submitMultipart(c: HttpClient, path: string, fields: [string, string][], files: UploadFile[] = [], opts: { csrf?: boolean } = {}): Promise<{ status: number; html: string; location: string | null }> {
  const form = new FormData();
  if (opts.csrf !== false) form.append('_csrf', await csrfOf(c));
  for (const [k, v] of fields) form.append(k, v);
  for (const f of files) form.append(f.field, new Blob([f.data], { type: f.type }), f.name);
  const res = await c.request('POST', path, { body: form });
  return { status: res.status, html: await res.text(), location: res.headers.get('location') };
}

/** A 1×1 PNG. */
export const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

/** The values of every field named `name` on a page (inputs' value attributes, in order). */
export function inputValues(html: string, name: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<(?:input|textarea)\b[^>]*>/g)) {
    const tag = m[0];
    if (!tag.includes(` name="${name}"`)) continue;
    const v = /\svalue="([^"]*)"/.exec(tag);
    out.push(v ? v[1]! : '');
  }
  return out;
}

/** The values of the selected options of a select (or checked boxes) named `name`. */
export function chosen(html: string, name: string): string[] {
  const select = new RegExp(`<select[^>]*name="${name}"[^>]*>([\\s\\S]*?)</select>`).exec(html);
  if (select) return [...select[1]!.matchAll(/<option value="([^"]*)" selected>/g)].map((m) => m[1]!);
  return [...html.matchAll(/<input type="(?:checkbox|radio)"[^>]*>/g)].map((m) => m[0]).filter((t) => t.includes(` name="${name}"`) && / checked/.test(t)).map((t) => /value="([^"]*)"/.exec(t)![1]!);
}

/** The role="alert" text of a page with HTML entities decoded. */
export function alertText(html: string): string {
  return unescapeHtml(rawAlert(html));
}

export function unescapeHtml(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
