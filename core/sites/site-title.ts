import type { OptionService } from '../options/option-service.js';
import type { SiteInfo } from '../http/state.js';

/**
 * What the portal is called on a site: the main module's "Portal title" option (per site or
 * for all sites), else the site's name. Shown in the header, the window title and as SITE_NAME in mails.
 */
export async function siteTitle(options: OptionService, site: Pick<SiteInfo, 'id' | 'name'> | null | undefined): Promise<string> {
  const title = await options.get<string>('main', 'site_title', site?.id ?? '').catch(() => '');
  return (typeof title === 'string' ? title.trim() : '') || site?.name || 'Portal';
}
