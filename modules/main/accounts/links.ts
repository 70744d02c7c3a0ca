import type { Kernel } from '../../../core/kernel.js';
import type { SiteInfo } from '../../../core/http/state.js';

/** What a link base needs of a request: its protocol and Host (already checked against trusted proxies). */
export interface RequestOrigin {
  protocol: string;
  host: string;
}

const bareHost = (host: string): string => host.toLowerCase().replace(/:\d+$/, '');

/**
 * The absolute base of links in mails. Never taken blindly from the Host header (a forged
 * one would send reset links elsewhere): `http.publicUrl` when set; else the request's host
 * when it is one of the site's domains, else the site's first domain; only a site without
 * domains falls back to the request itself, or to the configured listen address.
 */
export function linkBase(kernel: Kernel, site: Pick<SiteInfo, 'domains'> | null, request?: RequestOrigin): string {
  const publicUrl = kernel.config.http.publicUrl;
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  const domains = site?.domains ?? [];
  const protocol = request?.protocol === 'https' ? 'https' : 'http';
  if (request && domains.some((d) => bareHost(d) === bareHost(request.host))) return `${protocol}://${request.host}`;
  if (domains.length > 0) return `${protocol}://${domains[0]}`;
  if (request) return `${protocol}://${request.host}`;
  const { host, port } = kernel.config.http;
  return `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${port}`;
}
