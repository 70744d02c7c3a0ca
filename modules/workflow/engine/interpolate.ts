import type { WorkflowDocument } from '../documents/adapter.js';

/**
 * `{{document.title}}`, `{{document.url}}`, `{{document.id}}`, `{{document.FIELD}}` and `{{var.NAME}}` in texts of
 * a template; unknown names stay as they are.
 */
export function interpolate(text: string, doc: WorkflowDocument, vars: Record<string, unknown>): string {
  return text.replace(/\{\{\s*(document|var)\.([A-Za-z0-9_]+)\s*\}\}/g, (whole, scope: string, name: string) => {
    if (scope === 'var') return Object.hasOwn(vars, name) ? String(vars[name] ?? '') : whole;
    if (name === 'title') return doc.title;
    if (name === 'url') return doc.url;
    if (name === 'id') return doc.id;
    return Object.hasOwn(doc.fields, name) ? String(doc.fields[name] ?? '') : whole;
  });
}
