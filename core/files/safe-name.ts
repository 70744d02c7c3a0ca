// Control characters, plus invisible format characters that can disguise a name (bidi overrides, zero-width).
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
// Reserved on Windows or special in shells/URLs.
const RESERVED = /[<>:"/\\|?*]/g;
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
const MAX_EXTENSION = 16;

/**
 * A file name that is safe to store and to send in headers: no path parts, control or
 * reserved characters, no leading dots, single spaces, at most `maxBytes` UTF-8 bytes
 * (the extension is kept). Letters of any script survive. Falls back to "file".
 */
export function safeFileName(input: unknown, maxBytes = 200): string {
  let name = String(input ?? '').normalize('NFC');
  name = name.split(/[/\\]/).pop() ?? '';
  name = name.replace(/[\t\n\v\f\r]/g, ' ').replace(INVISIBLE, '').replace(RESERVED, '');
  name = name.replace(/\s+/g, ' ').trim();
  name = name.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (WINDOWS_DEVICE.test(name)) name = `_${name}`;
  if (name === '') return 'file';
  return limitBytes(name, Math.max(16, maxBytes));
}

function limitBytes(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name) <= maxBytes) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= MAX_EXTENSION ? name.slice(dot) : '';
  const chars = Array.from(name.slice(0, name.length - ext.length));
  const budget = maxBytes - Buffer.byteLength(ext);
  let base = '';
  let used = 0;
  for (const ch of chars) {
    const size = Buffer.byteLength(ch);
    if (used + size > budget) break;
    base += ch;
    used += size;
  }
  base = base.trimEnd().replace(/[.\s]+$/, '');
  return base === '' ? `file${ext}` : base + ext;
}
