import type { ModuleContext } from '../../../core/modules/types.js';
import type { Kernel } from '../../../core/kernel.js';
import type { SiteInfo } from '../../../core/http/state.js';
import type { User } from '../../../core/services.js';
import { siteTitle } from '../../../core/sites/site-title.js';
import { linkBase, type RequestOrigin } from './links.js';

/** Where and in which language a mail to a user goes. */
export interface MailPlace {
  site: SiteInfo;
  language: string;
  /** The request that caused the mail, for the link base (see linkBase). */
  request?: RequestOrigin;
}

/**
 * Queues mail event `type` to the user: EMAIL_TO, LOGIN, NAME and SITE_NAME (the portal
 * title) filled in, plus `fields`; paths in `links` become absolute URLs (linkBase).
 */
export async function mailUser(kernel: Kernel, type: string, user: User, place: MailPlace, fields: Record<string, string> = {}, links: Record<string, string> = {}): Promise<number[]> {
  const base = linkBase(kernel, place.site, place.request);
  const urls = Object.fromEntries(Object.entries(links).map(([k, path]) => [k, `${base}${path}`]));
  const name = [user.name, user.lastName].filter(Boolean).join(' ') || user.login;
  return kernel.mail.send(
    type,
    { EMAIL_TO: user.email, LOGIN: user.login, NAME: name, SITE_NAME: await siteTitle(kernel.options, place.site), ...fields, ...urls },
    { siteId: place.site.id, language: place.language },
  );
}

/** The default site and the user's language (else the site's), for mails no request caused. */
export async function placeOf(kernel: Kernel, user: User): Promise<MailPlace> {
  const sites = await kernel.sites.list();
  const site = sites.find((s) => s.isDefault) ?? sites[0]!;
  return { site, language: user.language ?? site.language };
}

/** "Password changed" goes out wherever a password is set: profile, admin form, reset link, `portal user passwd`. */
export function registerAccountMail(ctx: ModuleContext): void {
  const { kernel } = ctx;
  ctx.events.onAfter('main.user.passwordChanged', async (user) => {
    await mailUser(kernel, 'USER_PASSWORD_CHANGED', user, await placeOf(kernel, user), {}, { URL: '/auth/forgot/' });
  });
}
