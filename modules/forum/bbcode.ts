import type SanitizeHtml from 'sanitize-html';
import { lazyRequire } from '../../core/lazy.js';
import { linkProblem } from '../../core/security/safe-link.js';

/**
 * BB-code to safe HTML: @bbob/parser builds the tree (only the tags below; anything else stays text), this file
 * renders it with every text escaped and every URL checked, and sanitize-html then keeps only the tags and
 * attributes a message may have (defence in depth: a renderer bug still cannot emit a script or a handler).
 */
const TAGS = ['b', 'i', 'u', 's', 'quote', 'code', 'list', '*', 'url', 'img'];
const loadParser = lazyRequire<typeof import('@bbob/parser')>('@bbob/parser');
const loadSanitizer = lazyRequire<typeof SanitizeHtml>('sanitize-html');
const MENTION = /(^|[^\p{L}\p{N}_.@-])@([A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,48}[A-Za-z0-9_])?)/gu;
const MAILTO = /^mailto:[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+$/;

interface Node {
  tag: string;
  attrs: Record<string, string>;
  content: (Node | string)[] | null;
}

export interface Rendered {
  html: string;
  /** Logins mentioned as @login outside code blocks, each once. */
  mentions: string[];
}

const escape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** `[url=x]` arrives as attrs { x: 'x' }; `[quote author=x]` as { author: 'x' }. */
function mainAttr(node: Node): string {
  const entries = Object.entries(node.attrs ?? {});
  const own = entries.find(([k, v]) => k === v) ?? entries[0];
  return own ? String(own[1]).trim() : '';
}

function plainText(content: Node['content']): string {
  return (content ?? []).map((c) => (typeof c === 'string' ? c : plainText(c.content))).join('');
}

export function safeHref(url: string): string | null {
  const u = url.trim();
  if (MAILTO.test(u)) return u;
  return u !== '' && linkProblem(u) === null ? u : null;
}

export function safeImageSrc(url: string): string | null {
  const u = url.trim();
  return /^https?:\/\//i.test(u) && linkProblem(u) === null ? u : null;
}

const BLOCKS = new Set(['quote', 'code', 'list']);
const LEADING_BREAK = /^\n/;
const TRAILING_BREAK = /\n$/;

class Renderer {
  readonly mentions = new Set<string>();

  nodes(content: Node['content']): string {
    let afterBlock = false;
    return (content ?? [])
      .map((c) => {
        // A line break right after [/quote], [/code] or [/list] only ends the block's line.
        const html = typeof c === 'string' ? this.text(afterBlock ? c.replace(LEADING_BREAK, '') : c) : this.node(c);
        afterBlock = typeof c !== 'string' && BLOCKS.has(String(c.tag));
        return html;
      })
      .join('');
  }

  /** A block's content without the line breaks just inside its tags (`[quote]⏎text⏎[/quote]`). */
  blockNodes(content: Node['content']): string {
    const items = [...(content ?? [])];
    const first = items[0];
    if (typeof first === 'string') items[0] = first.replace(LEADING_BREAK, '');
    const last = items[items.length - 1];
    if (typeof last === 'string') items[items.length - 1] = last.replace(TRAILING_BREAK, '');
    return this.nodes(items);
  }

  text(s: string): string {
    return escape(s)
      .replace(MENTION, (_m, pre: string, login: string) => {
        this.mentions.add(login.toLowerCase());
        return `${pre}<span class="forum-mention">@${login}</span>`;
      })
      .replace(/\n/g, '<br>');
  }

  node(n: Node): string {
    switch (n.tag) {
      case 'b':
        return `<strong>${this.nodes(n.content)}</strong>`;
      case 'i':
        return `<em>${this.nodes(n.content)}</em>`;
      case 'u':
        return `<u>${this.nodes(n.content)}</u>`;
      case 's':
        return `<s>${this.nodes(n.content)}</s>`;
      case 'code':
        return `<pre><code>${escape(plainText(n.content).replace(LEADING_BREAK, '').replace(TRAILING_BREAK, ''))}</code></pre>`;
      case 'quote': {
        const author = mainAttr(n);
        const cite = author ? `<cite>${escape(author)}</cite>` : '';
        return `<blockquote class="forum-quote">${cite}${this.blockNodes(n.content)}</blockquote>`;
      }
      case 'list':
        return this.list(n);
      case 'url': {
        const text = plainText(n.content);
        const href = safeHref(mainAttr(n) || text);
        if (!href) return this.nodes(n.content);
        return `<a href="${escape(href)}" rel="nofollow noopener ugc">${this.nodes(n.content)}</a>`;
      }
      case 'img': {
        const src = safeImageSrc(plainText(n.content));
        return src ? `<img src="${escape(src)}" alt="">` : this.text(plainText(n.content));
      }
      default:
        return this.text(plainText(n.content));
    }
  }

  /** `[*]` arrives as an empty tag followed by its item's content as siblings. */
  list(n: Node): string {
    const items: string[] = [];
    let current: string | null = null;
    for (const c of n.content ?? []) {
      if (typeof c !== 'string' && c.tag === '*') {
        if (current !== null) items.push(current);
        current = this.nodes(c.content);
      } else if (current !== null) {
        current += typeof c === 'string' ? this.text(c) : this.node(c);
      } else if (typeof c !== 'string' || c.trim() !== '') {
        current = typeof c === 'string' ? this.text(c) : this.node(c);
      }
    }
    if (current !== null) items.push(current);
    const tag = mainAttr(n) === '1' ? 'ol' : 'ul';
    return `<${tag}>${items.map((i) => `<li>${i.replace(/^(<br>)+|(<br>)+$/g, '')}</li>`).join('')}</${tag}>`;
  }
}

let sanitizeOptions: SanitizeHtml.IOptions | undefined;

function sanitize(html: string): string {
  const sanitizeHtml = loadSanitizer();
  sanitizeOptions ??= {
    allowedTags: ['strong', 'em', 'u', 's', 'pre', 'code', 'blockquote', 'cite', 'ul', 'ol', 'li', 'a', 'img', 'span', 'br'],
    allowedAttributes: { a: ['href', 'rel'], img: ['src', 'alt'], span: ['class'], blockquote: ['class'] },
    allowedClasses: { span: ['forum-mention'], blockquote: ['forum-quote'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowProtocolRelative: false,
    disallowedTagsMode: 'escape',
  };
  return sanitizeHtml(html, sanitizeOptions);
}

/** The stored HTML of a message and the logins it mentions. */
export function renderBbCode(source: string): Rendered {
  // Browsers send a textarea's line breaks as CRLF; the renderer sees LF only.
  const tree = loadParser().parse(source.replace(/\r\n?/g, '\n'), { onlyAllowTags: TAGS, contextFreeTags: ['code'] }) as unknown as (Node | string)[];
  const renderer = new Renderer();
  const html = sanitize(renderer.nodes(tree));
  return { html, mentions: [...renderer.mentions] };
}
