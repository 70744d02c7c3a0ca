import type SanitizeHtml from 'sanitize-html';
import { lazyRequire } from '../../core/lazy.js';

const loadSanitizer = lazyRequire<typeof SanitizeHtml>('sanitize-html');
let clean: ((html: string) => string) | undefined;

function allowList(sanitize: typeof SanitizeHtml): (html: string) => string {
  const options: SanitizeHtml.IOptions = {
    allowedTags: [...sanitize.defaults.allowedTags, 'img', 'h1', 'h2', 'span'],
    allowedAttributes: { a: ['href', 'name', 'target', 'rel'], img: ['src', 'alt', 'title', 'width', 'height'], '*': ['class'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowProtocolRelative: false,
  };
  return (html) => sanitize(html, options);
}

/** HTML from editors with scripts, event handlers and dangerous URLs removed (the sanitizer loads on first use). */
export function cleanHtml(html: string): string {
  clean ??= allowList(loadSanitizer());
  return clean(html);
}
