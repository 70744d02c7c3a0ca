import type { Context } from 'koa';
import type { Translator } from '../i18n/translator.js';

/** Seconds a client is asked to wait when the database cannot be reached. */
export const RETRY_AFTER_SECONDS = 30;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/**
 * The "temporarily unavailable" page for a database outage. It is built from the message
 * files and the template's stylesheet alone: the site template, menus and page data all
 * live in the database that just failed. The language is the site's when it was resolved
 * (from the cache), else the visitor's Accept-Language.
 */
export function unavailablePage(i18n: Translator) {
  return (ctx: Context): string => {
    const state = ctx.state as { language?: string };
    const lang = state.language ?? (ctx.acceptsLanguages('en', 'ru') === 'ru' ? 'ru' : 'en');
    const t = (key: string) => escape(i18n.t('main', key, lang));
    return `<!doctype html>
<html lang="${lang === 'ru' ? 'ru' : 'en'}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${t('UNAVAILABLE_TITLE')}</title>
  <link rel="stylesheet" href="/assets/templates/.default/style.css">
</head>
<body class="tpl-default">
  <main id="content" class="card narrow">
    <h1>${t('UNAVAILABLE_TITLE')}</h1>
    <p>${t('UNAVAILABLE_TEXT')}</p>
    <a class="btn" href="${escape(ctx.originalUrl.startsWith('/') && !ctx.originalUrl.startsWith('//') ? ctx.originalUrl : '/')}">${t('UNAVAILABLE_RETRY')}</a>
  </main>
</body>
</html>
`;
  };
}
