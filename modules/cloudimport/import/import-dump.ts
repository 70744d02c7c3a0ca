import type { ModuleContext } from '../../../core/modules/types.js';
import { cloudErrors } from '../errors.js';
import { ENTITIES, isEntity, type Entity } from '../read/dump-format.js';
import { openSource } from '../read/source.js';
import { bbRenderer } from './bbcode.js';
import { crmHandlers } from './entities/crm.js';
import { departments } from './entities/departments.js';
import { listElements, lists } from './entities/lists.js';
import { NOT_IMPORTED } from './entities/not-imported.js';
import { users } from './entities/users.js';
import { workgroupMembers, workgroups } from './entities/workgroups.js';
import type { Handler, RunContext } from './handler.js';
import { Mapping } from './mapping.js';
import { emptyReport, type ImportReport } from './report.js';
import { importEntity, unresolvedOf, type Progress } from './run.js';

const HANDLERS = new Map<Entity, Handler>([departments, users, workgroups, workgroupMembers, lists, listElements, ...crmHandlers].map((h) => [h.entity, h as Handler]));

/** Names --only takes besides the entities themselves. */
const GROUPS: Record<string, Entity[]> = {
  crm: ['crm_companies', 'crm_contacts', 'crm_leads', 'crm_deals'],
  workgroups: ['workgroups', 'workgroup_members'],
  groups: ['workgroups', 'workgroup_members'],
  lists: ['lists', 'list_elements'],
  disk: ['disk_storages', 'disk_folders', 'disk_files'],
  tasks: ['tasks', 'task_comments'],
  calendar: ['calendar_events'],
  companies: ['crm_companies'],
  contacts: ['crm_contacts'],
  deals: ['crm_deals'],
  leads: ['crm_leads'],
};

/** The entities of an --only list ("users,departments,crm"); an unknown name is a coded error. */
export function parseOnly(list: string | undefined): Set<Entity> | null {
  if (!list) return null;
  const out = new Set<Entity>();
  for (const name of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (GROUPS[name]) GROUPS[name].forEach((e) => out.add(e));
    else if (isEntity(name)) out.add(name);
    else throw cloudErrors.CLOUD_UNKNOWN_ENTITY(`"${name}" (one of ${[...ENTITIES, ...Object.keys(GROUPS)].join(', ')})`);
  }
  return out;
}

export interface ImportOptions {
  dryRun?: boolean;
  only?: Set<Entity> | null;
  onProgress?: (p: Progress) => void;
}

/** `portal import cloud`: every entity of the dump in order, a second pass for forward references, a report. */
export async function importDump(ctx: ModuleContext, input: string, opts: ImportOptions = {}): Promise<ImportReport> {
  const source = await openSource(input);
  try {
    const memo = new Map<string, Promise<unknown>>();
    const run: RunContext = {
      kernel: ctx.kernel,
      map: new Mapping(ctx.db),
      zone: source.manifest.timeZone || 'UTC',
      dryRun: opts.dryRun === true,
      bb: await bbRenderer(ctx, opts.dryRun === true),
      memo: <V>(key: string, make: () => Promise<V>) => {
        if (!memo.has(key)) memo.set(key, make().catch((err: unknown) => { memo.delete(key); throw err; }));
        return memo.get(key) as Promise<V>;
      },
    };
    const report: ImportReport = { source: source.label, dryRun: run.dryRun, entities: [] };
    const again: Handler[] = [];
    for (const entity of source.entities()) {
      if (opts.only && !opts.only.has(entity)) continue;
      const r = emptyReport(entity);
      report.entities.push(r);
      const handler = HANDLERS.get(entity);
      const why = handler ? handler.unavailable?.(run) : NOT_IMPORTED[entity];
      if (!handler || why) {
        r.notImported = why ?? 'not imported';
        for await (const _ of source.rows(entity)) r.rows++;
        continue;
      }
      const state = await importEntity(source, handler, run, r, 1, opts.onProgress);
      if (state.waiting) again.push(handler);
    }
    if (!run.dryRun) {
      for (const handler of again) await importEntity(source, handler, run, report.entities.find((e) => e.entity === handler.entity)!, 2, opts.onProgress);
      for (const r of report.entities) if (!r.notImported) r.unresolved = await unresolvedOf(ctx.db, r.entity);
    }
    return report;
  } finally {
    await source.close();
  }
}
