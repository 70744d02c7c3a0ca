/**
 * XSS vectors for the forum: raw HTML payloads placed in every BB-code context, plus link, image, mention and
 * quote-author vectors. `executable(html)` is an independent checker of the stored HTML (it does not reuse the
 * forum's renderer or sanitizer).
 */
const RAW = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<a href="javascript:alert(1)">x</a>',
  '<body onload=alert(1)>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="data:text/html,<script>alert(1)</script>">',
  '<form action="javascript:alert(1)"><button>x</button></form>',
  '<input autofocus onfocus=alert(1)>',
  '<details open ontoggle=alert(1)>',
  '<video><source onerror=alert(1)></video>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  '<link rel=stylesheet href="javascript:alert(1)">',
  '"><script>alert(1)</script>',
  "'><img src=x onerror=alert(1)>",
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '<<script>alert(1)//<</script>',
  '<img """><script>alert(1)</script>">',
  '<ScRiPt>alert(1)</sCrIpT>',
  '<style>@import "javascript:alert(1)";</style>',
  '<!--<script>alert(1)</script>-->',
  '<![CDATA[<script>alert(1)</script>]]>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '<a href="&#106;avascript:alert(1)">x</a>',
];

const WRAPS: ((p: string) => string)[] = [
  (p) => p,
  (p) => `[b]${p}[/b]`,
  (p) => `[i][u][s]${p}[/s][/u][/i]`,
  (p) => `[quote]${p}[/quote]`,
  (p) => `[quote="${p}"]text[/quote]`,
  (p) => `[code]${p}[/code]`,
  (p) => `[list][*]${p}[*]two[/list]`,
  (p) => `[url=https://example.com/]${p}[/url]`,
  (p) => `@ann${p}`,
];

const URLS = [
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  ' javascript:alert(1)',
  'java\tscript:alert(1)',
  'java\nscript:alert(1)',
  'javascript&#58;alert(1)',
  '&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)',
  'jav&#x09;ascript:alert(1)',
  'vbscript:msgbox(1)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'data:image/svg+xml,<svg onload=alert(1)>',
  '//evil.example/x.js',
  '/\\evil.example/',
  '\\\\evil.example\\x',
  'https://example.com/" onmouseover="alert(1)',
  "https://example.com/' onerror='alert(1)",
  'https://example.com/"><script>alert(1)</script>',
  'https://example.com/<img src=x onerror=alert(1)>',
  'file:///etc/passwd',
  'x:alert(1)',
];

const MENTIONS = [
  '@<script>alert(1)</script>',
  '@ann"onmouseover="alert(1)',
  '@ann<img src=x onerror=alert(1)>',
  '@@ann<svg onload=alert(1)>',
  '[b]@ann[/b]<script>alert(1)</script>',
];

const QUOTES = [
  '[quote="x" onmouseover="alert(1)"]q[/quote]',
  '[quote=<script>alert(1)</script>]q[/quote]',
  '[quote="</cite><script>alert(1)</script>"]q[/quote]',
  '[quote author="\'><img src=x onerror=alert(1)>"]q[/quote]',
  '[quote="[url=javascript:alert(1)]x[/url]"]q[/quote]',
];

/** Names of attached files: every raw payload as a name, plus names that play on paths, quotes and invisible characters. */
const ATTACHMENT_NAMES = [
  '"><svg onload=alert(1)>',
  "'><img src=x onerror=alert(1)>",
  'javascript:alert(1)',
  '<a href="javascript:alert(1)">x</a>',
  '</a><script>alert(1)</script>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '&#60;img src=x onerror=alert(1)&#62;',
  '../../<script>alert(1)</script>',
  '..\\..\\<iframe src=javascript:alert(1)>',
  'report\u202egnp.exe',
  '<style>*{background:url(javascript:alert(1))}</style>',
  '{{constructor.constructor("alert(1)")()}}',
  '<%= process.exit() %>',
  '${alert(1)}',
];

export function attachmentNameVectors(): string[] {
  return [...RAW, ...ATTACHMENT_NAMES].map((n) => `${n}.txt`);
}

export function xssVectors(): string[] {
  const out: string[] = [];
  for (const wrap of WRAPS) for (const raw of RAW) out.push(wrap(raw));
  for (const u of URLS) out.push(`[url]${u}[/url]`, `[url=${u}]click[/url]`, `[img]${u}[/img]`);
  out.push(...MENTIONS, ...QUOTES);
  return out;
}

const ALLOWED: Record<string, string[]> = {
  strong: [], em: [], u: [], s: [], pre: [], code: [], cite: [], ul: [], ol: [], li: [], br: [],
  blockquote: ['class'], span: ['class'], a: ['href', 'rel'], img: ['src', 'alt'],
};

const decode = (v: string): string =>
  v.replace(/&#x([0-9a-f]+);?/gi, (_m, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);?/g, (_m, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

function urlProblem(url: string, tag: string): string | null {
  const u = decode(url).replace(/[\s\x00-\x1f]/g, '');
  if (/^https?:\/\/[^/\\]/i.test(u)) return null;
  if (tag === 'a' && /^mailto:/i.test(u)) return null;
  if (tag === 'a' && /^\/(?![/\\])/.test(u)) return null;
  return `unsafe ${tag} URL ${JSON.stringify(url)}`;
}

/** What in `html` could run script, or null. Every "<" must open an allowed tag with allowed, quoted attributes. */
export function executable(html: string): string | null {
  const tag = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z-]+="[^"]*")*)\s*\/?>/y;
  for (let i = html.indexOf('<'); i !== -1; i = html.indexOf('<', i + 1)) {
    tag.lastIndex = i;
    const m = tag.exec(html);
    if (!m) return `a "<" that is not a well-formed tag at ${i}: ${html.slice(i, i + 40)}`;
    const name = m[2]!.toLowerCase();
    const allowed = ALLOWED[name];
    if (!allowed) return `tag <${name}>`;
    for (const a of m[3]!.matchAll(/([a-zA-Z-]+)="([^"]*)"/g)) {
      const attr = a[1]!.toLowerCase();
      if (!allowed.includes(attr)) return `attribute ${attr} on <${name}>`;
      if (attr === 'href' || attr === 'src') {
        const problem = urlProblem(a[2]!, name);
        if (problem) return problem;
      }
    }
  }
  return null;
}
