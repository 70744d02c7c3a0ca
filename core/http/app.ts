import { randomUUID } from 'node:crypto';
import Koa from 'koa';
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Kernel } from '../kernel.js';
import { assets } from './assets.js';
import { componentAssets } from '../components/assets-route.js';
import { pageAnswers, pageRouter } from '../pages/router.js';
import { errorText } from './error-text.js';
import { pagesOf } from '../pages/services.js';
import { authenticate } from './auth.js';
import { csrfProtection } from './csrf.js';
import { errorHandler } from './error-handler.js';
import { RedirectSignal } from './guards.js';
import { healthz, readyz } from './health.js';
import { PEER_FILE_PATH } from '../files/upload-sync.js';
import { unavailablePage } from './unavailable-page.js';
import { securityHeaderSets, securityHeaders } from './security-headers.js';
import { checkForwarded, forwardedHeaders, proxyTrust } from './forwarded.js';
import { apiRequests } from './api-requests.js';
import { apiPortalView } from './api-portal-view.js';
import { readYourWrites } from './read-your-writes.js';
import { signedInPrivate } from './cache-control.js';
import { servePageCacheHit } from './front-cache.js';
import { trailingSlashRedirect } from './trailing-slash.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pageCache } from './page-cache.js';
import { MODULES_TAG } from '../modules/module-manager.js';
import type { PortalState } from './state.js';
import { Views } from './views.js';
import type { ModuleRouter } from '../modules/types.js';

export type PortalApp = Koa<PortalState> & { views: Views };

/**
 * The koa app: health probes, security headers, errors, site and user resolution,
 * site template selection, CSRF, every module's routes (answering only while the module
 * is installed), then the pages.
 */
export function createApp(kernel: Kernel, options: { pageCacheSeconds?: number } = {}): PortalApp {
  // X-Forwarded-* headers of peers that are not trusted proxies are removed first, so koa may read the rest.
  const app = new Koa<PortalState>({ proxy: true }) as PortalApp;
  const views = new Views(kernel);
  app.views = views;
  app.silent = true;
  app.use(forwardedHeaders({ trusted: proxyTrust(kernel.config.http), secureCookies: kernel.config.http.secureCookies, log: kernel.log }));
  app.use(securityHeaders({ hsts: kernel.config.http.secureCookies }));

  const ready = readyz(kernel);
  app.use((ctx, next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path === '/healthz') return healthz(ctx);
    if (ctx.path === '/readyz') return ready(ctx);
    // The internal endpoint web nodes fetch a missing upload from each other on (shared secret).
    if (ctx.path.startsWith(PEER_FILE_PATH) && kernel.files.fileReplicator) return kernel.files.fileReplicator.servePeer(ctx).then(() => undefined);
    return next();
  });

  app.use(requestLog(kernel));
  app.use(readYourWrites(() => kernel.connections.replicaUrls().length > 0, kernel.config.http.secureCookies));
  app.use(signedInPrivate());
  app.use(
    errorHandler(kernel.log, async (ctx, status, error) => {
      if (!ctx.state.site) return null;
      const view = status === 404 ? 'errors/404' : status === 403 ? 'errors/403' : 'errors/error';
      const titleKey = status === 404 ? 'NOT_FOUND_TITLE' : status === 403 ? 'FORBIDDEN_TITLE' : 'ERROR';
      const title = kernel.i18n.t('main', titleKey, ctx.state.language ?? 'en');
      await views.page(ctx as never, { module: 'main', view, title, status, data: { status, error, explanation: errorText(kernel, error, ctx.state.language ?? 'en') } });
      return ctx.body as string;
    }, unavailablePage(kernel.i18n)),
  );
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (!(err instanceof RedirectSignal)) throw err;
    }
  });
  app.use(apiRequests());
  app.use(assets());
  app.use(componentAssets(() => kernel.components.roots));
  app.use(pageCache(kernel, options.pageCacheSeconds ?? kernel.config.http.pageCacheSeconds));
  app.use(async (ctx, next) => {
    // The site first: when the database is down, a cached site still gives the error page its language.
    ctx.state.site = await kernel.sites.resolve(ctx.hostname);
    ctx.state.language = ctx.state.site.language;
    await kernel.syncModules();
    await kernel.cache.dependOn(MODULES_TAG);
    await next();
  });
  const parseBody = bodyParser({ enableTypes: ['json', 'form'], jsonLimit: '1mb', formLimit: '1mb', encoding: 'utf-8' });
  app.use((ctx, next) => (ctx.method === 'GET' || ctx.method === 'HEAD' ? next() : parseBody(ctx, next)));
  app.use(authenticate(kernel));
  app.use(apiPortalView(kernel));
  app.use(async (ctx, next) => {
    ctx.state.template = await pagesOf(kernel)
      .templates.select(ctx.state.site, ctx.path, ctx.state.language)
      .catch((err: unknown) => (kernel.log.warn({ err }, 'site template rules could not be read'), ctx.state.site.template));
    await next();
  });
  app.use(csrfProtection({ publicUrl: kernel.config.http.publicUrl }));

  const routers: { id: string; router: ModuleRouter }[] = [];
  for (const def of kernel.modules.available.values()) {
    if (!def.routes) continue;
    const router: ModuleRouter = new Router<PortalState>();
    def.routes(router, kernel.context(def.id));
    routers.push({ id: def.id, router });
    const routes = router.routes();
    const allowed = router.allowedMethods();
    app.use(async (ctx, next) => {
      if (!kernel.modules.isInstalled(def.id)) return next();
      await routes(ctx as never, async () => {
        await allowed(ctx as never, next);
      });
    });
  }
  // Pages (files and DB) answer GET requests no module route took.
  app.use(pageRouter(kernel, views));
  // `/admin` -> `/admin/` when a module route or a page answers the path with the slash.
  const routeAnswers = (_ctx: unknown, path: string) => routers.some((r) => kernel.modules.isInstalled(r.id) && r.router.match(path, 'GET').route);
  app.use(trailingSlashRedirect([routeAnswers, (ctx, path) => pageAnswers(kernel, ctx, path)]));
  return app;
}

function requestLog(kernel: Kernel) {
  return async (ctx: Koa.ParameterizedContext<PortalState>, next: Koa.Next): Promise<void> => {
    const started = process.hrtime.bigint();
    ctx.state.requestId = ctx.get('X-Request-Id').slice(0, 64) || randomUUID();
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      kernel.log.debug({ requestId: ctx.state.requestId, method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(ms * 10) / 10 }, 'request');
    }
  };
}

/**
 * The request handler for node:http: whole-page cache hits are answered at once,
 * everything else goes through the koa app.
 */
export function createHandler(kernel: Kernel, options: { pageCacheSeconds?: number } = {}): (req: IncomingMessage, res: ServerResponse) => void {
  const app = createApp(kernel, options);
  const handle = app.callback();
  const headers = securityHeaderSets({ hsts: kernel.config.http.secureCookies });
  const trusted = proxyTrust(kernel.config.http);
  const pageCacheOn = (options.pageCacheSeconds ?? kernel.config.http.pageCacheSeconds) > 0;
  return (req, res) => {
    if (!pageCacheOn) return void handle(req, res);
    checkForwarded(req, trusted);
    servePageCacheHit(kernel, req, res, headers, app.views).then(
      (served) => void (served || handle(req, res)),
      (err: unknown) => {
        kernel.log.warn({ err }, 'page cache read failed');
        void handle(req, res);
      },
    );
  };
}
