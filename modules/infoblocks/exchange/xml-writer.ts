/** Escapes text and attribute values for XML 1.0 (control characters other than tab/newline are dropped). */
export function escapeXml(value: string): string {
  return value
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r/g, '&#13;');
}

export type Attrs = Record<string, string | number | boolean | null | undefined>;

function attrText(attrs: Attrs): string {
  let out = '';
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined) continue;
    out += ` ${k}="${escapeXml(typeof v === 'boolean' ? (v ? 'Y' : 'N') : String(v))}"`;
  }
  return out;
}

/** A small indenting XML writer: open/close tags, leaf tags with escaped text. Booleans are written as Y/N. */
export class XmlWriter {
  private readonly parts: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  private depth = 0;

  open(name: string, attrs: Attrs = {}): this {
    this.parts.push(`${'  '.repeat(this.depth)}<${name}${attrText(attrs)}>\n`);
    this.depth++;
    return this;
  }

  close(name: string): this {
    this.depth--;
    this.parts.push(`${'  '.repeat(this.depth)}</${name}>\n`);
    return this;
  }

  /** `<name attrs>text</name>`, or `<name attrs/>` when text is empty. */
  leaf(name: string, attrs: Attrs = {}, text = ''): this {
    const pad = '  '.repeat(this.depth);
    this.parts.push(text === '' ? `${pad}<${name}${attrText(attrs)}/>\n` : `${pad}<${name}${attrText(attrs)}>${escapeXml(text)}</${name}>\n`);
    return this;
  }

  toString(): string {
    return this.parts.join('');
  }
}
