import type { ModuleContext } from '../../core/modules/types.js';
import type { Principal } from '../../core/services.js';
import { toBool } from '../../core/db/module-db.js';
import { wfErrors } from './errors.js';
import { parseTemplate, templateProblems, type SchemaProblem, type TemplateDefinition } from './schema.js';
import type { DocumentRegistry } from './documents/adapter.js';
import type { Row } from './engine/types.js';

export interface Template {
  id: number;
  code: string;
  name: string;
  documentType: string;
  documentScope: string | null;
  startOnCreate: boolean;
  startOnEdit: boolean;
  active: boolean;
  version: number;
  definition: TemplateDefinition;
  modifiedAt: Date;
}

function toTemplate(r: Row): Template {
  return {
    id: Number(r.id), code: String(r.code), name: String(r.name), documentType: String(r.document_type), documentScope: (r.document_scope ?? null) as string | null,
    startOnCreate: toBool(r.start_on_create), startOnEdit: toBool(r.start_on_edit), active: toBool(r.active), version: Number(r.version),
    definition: JSON.parse(String(r.definition)) as TemplateDefinition, modifiedAt: new Date(Number(r.modified_at)),
  };
}

/** Creates or replaces the row of a parsed template (by its code); the version counts the saves. */
export async function writeTemplate(ctx: ModuleContext, t: TemplateDefinition): Promise<void> {
  const { db } = ctx;
  const now = Date.now();
  const row = {
    name: t.name, document_type: t.document.type, document_scope: t.document.scope, start_on_create: t.autoStart.onCreate, start_on_edit: t.autoStart.onEdit,
    active: t.active, definition: JSON.stringify(t), modified_at: now,
  };
  const existing = (await db.write('templates').where({ code: t.code }).first()) as Row | undefined;
  if (existing) await db.write('templates').where({ id: existing.id }).update({ ...row, version: Number(existing.version) + 1 });
  else await db.write('templates').insert({ ...row, code: t.code, created_at: now, version: 1 });
}

/** Templates: saved as validated JSON (from the admin's editor, the CLI, code or the REST API). */
export function createTemplatesApi(ctx: ModuleContext, documents: DocumentRegistry) {
  const { db, kernel } = ctx;
  const manage = (p: Principal) => kernel.rights.assert(p, 'workflow.manage');

  const api = {
    /** Problems of a template without saving it (schema paths, plus an unknown document type). */
    validate(input: unknown): SchemaProblem[] {
      const problems = templateProblems(input);
      if (problems.length) return problems;
      const t = parseTemplate(input);
      if (!documents.has(t.document.type)) return [{ path: 'document.type', message: `no module exposes documents of type "${t.document.type}" (known: ${documents.list().map((d) => d.type).join(', ')})` }];
      return [];
    },

    /** Creates or replaces the template with this code; an invalid one is WORKFLOW_TEMPLATE_INVALID and nothing is written. */
    async save(principal: Principal, input: unknown): Promise<Template> {
      await manage(principal);
      return api.saveAsSystem(input);
    },

    async saveAsSystem(input: unknown): Promise<Template> {
      const problems = api.validate(input);
      if (problems.length) throw wfErrors.WORKFLOW_TEMPLATE_INVALID(problems.map((p) => `${p.path}: ${p.message}`).join('; '), { problems });
      const t = parseTemplate(input);
      await writeTemplate(ctx, t);
      return api.get(t.code);
    },

    async list(): Promise<Template[]> {
      return ((await db.read('templates').orderBy('code')) as Row[]).map(toTemplate);
    },

    /** By id or code. */
    async get(ref: string | number): Promise<Template> {
      const q = db.write('templates');
      const row = (await (typeof ref === 'number' || /^\d+$/.test(String(ref)) ? q.where({ id: Number(ref) }) : q.where({ code: String(ref) })).first()) as Row | undefined;
      if (!row) throw wfErrors.WORKFLOW_TEMPLATE_NOT_FOUND(`"${String(ref)}"`);
      return toTemplate(row);
    },

    async setActive(principal: Principal, ref: string | number, active: boolean): Promise<Template> {
      await manage(principal);
      const t = await api.get(ref);
      await db.write('templates').where({ id: t.id }).update({ active, definition: JSON.stringify({ ...t.definition, active }), modified_at: Date.now() });
      return api.get(t.id);
    },

    async delete(principal: Principal, ref: string | number): Promise<void> {
      await manage(principal);
      const t = await api.get(ref);
      const running = await db.write('instances').where({ template_id: t.id, status: 'running' }).count('id as n').first();
      if (Number((running as Row).n)) throw wfErrors.WORKFLOW_TEMPLATE_INVALID(`template "${t.code}" still has running instances; terminate them first`);
      await db.write('templates').where({ id: t.id }).delete();
    },

    /** Active templates that start by themselves on this kind of change of a document. */
    async autoStarting(documentType: string, scope: string | null, on: 'create' | 'edit'): Promise<Template[]> {
      const rows = (await db.read('templates').where({ document_type: documentType, active: true, [on === 'create' ? 'start_on_create' : 'start_on_edit']: true })) as Row[];
      return rows.map(toTemplate).filter((t) => t.documentScope === null || t.documentScope === scope);
    },
  };
  return api;
}
