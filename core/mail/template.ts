/**
 * Bitrix-style mail templates: `#FIELD#` placeholders (upper-case names) are replaced by
 * field values; unknown fields become empty. HTML bodies get escaped values; header
 * values (from, to, subject) lose CR/LF so nobody can inject headers.
 */
export type MailFields = Record<string, string | number | null | undefined>;
export type BodyType = 'text' | 'html';

export interface MailTemplateText {
  emailFrom: string;
  emailTo: string;
  subject: string;
  body: string;
  bodyType: BodyType;
}

export interface RenderedMail {
  from: string;
  to: string;
  subject: string;
  body: string;
  bodyType: BodyType;
}

const PLACEHOLDER = /#([A-Z][A-Z0-9_]*)#/g;
// Control characters other than TAB; in headers they could start a new header line.
const HEADER_BREAKS = /[\u0000-\u0008\u000a-\u001f\u007f\u0085\u2028\u2029]+/g;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Replaces CR/LF and other control characters by a space, so the value stays on one header line. */
export function stripHeaderBreaks(value: string): string {
  return value.replace(HEADER_BREAKS, ' ');
}

/** Replaces every `#FIELD#`; `encode` is applied to each value (escaping, header stripping). */
export function substitute(text: string, fields: MailFields, encode: (value: string) => string = (v) => v): string {
  return text.replace(PLACEHOLDER, (_, name: string) => {
    const value = Object.prototype.hasOwnProperty.call(fields, name) ? fields[name] : undefined;
    return value === null || value === undefined ? '' : encode(String(value));
  });
}

/** The `#FIELD#` names a text uses, in order of first appearance. */
export function placeholders(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(PLACEHOLDER), (m) => m[1]!))];
}

/** Renders a template with fields: headers single-line, html bodies escaped. */
export function renderMail(template: MailTemplateText, fields: MailFields): RenderedMail {
  const header = (text: string) => stripHeaderBreaks(substitute(text, fields, stripHeaderBreaks)).trim();
  const body = template.bodyType === 'html' ? substitute(template.body, fields, escapeHtml) : substitute(template.body, fields);
  return {
    from: header(template.emailFrom),
    to: header(template.emailTo),
    subject: header(template.subject),
    body,
    bodyType: template.bodyType,
  };
}
