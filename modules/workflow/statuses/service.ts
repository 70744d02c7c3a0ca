import type { ModuleContext } from '../../../core/modules/types.js';
import type { ModuleTx } from '../../../core/db/module-db.js';
import { toBool } from '../../../core/db/module-db.js';
import type { Principal } from '../../../core/services.js';
import { coreErrors } from '../../../core/errors/codes.js';
import type { Element, ElementPatch } from '../../infoblocks/types.js';
import { wfErrors } from '../errors.js';
import type { Row } from '../engine/types.js';
import { applyPatch, diffSnapshots, patchOf, snapshotOf, type Change, type Snapshot } from './snapshot.js';

export const ELEMENT = 'infoblocks.element';
const SYSTEM: Principal = { userId: null, groupIds: [], isAdmin: true };

export interface Status {
  id: number;
  code: string;
  names: { en: string; ru: string };
  sort: number;
  published: boolean;
  rights: { groupId: number; canMove: boolean; canEdit: boolean }[];
}

export interface DocState {
  status: Status;
  livePublished: boolean;
  hasDraft: boolean;
  draft: ElementPatch | null;
  lockedBy: number | null;
  lockedUntil: Date | null;
  modifiedBy: number | null;
  modifiedAt: Date;
}

export interface Version {
  number: number;
  status: string;
  kind: string;
  createdBy: number | null;
  createdAt: Date;
  data: Snapshot;
}

/**
 * The classic workflow on infoblock elements: statuses with group rights, the state of each element (its status,
 * the draft of a published element, the edit lock) and every version. Elements are read and written only through
 * the infoblocks API; `bypass` marks the element ids this service itself is writing, so the hooks let them through.
 */
export class StatusService {
  readonly bypass = new Set<number>();

  constructor(private readonly ctx: ModuleContext) {}

  private ib() {
    return this.ctx.kernel.api('infoblocks');
  }

  async list(): Promise<Status[]> {
    const rows = (await this.ctx.db.read('statuses').orderBy(['sort', 'id'])) as Row[];
    const rights = (await this.ctx.db.read('status_rights')) as Row[];
    return rows.map((r) => toStatus(r, rights));
  }

  async byCode(code: string): Promise<Status> {
    const s = (await this.list()).find((x) => x.code === code);
    if (!s) throw wfErrors.WORKFLOW_STATUS_NOT_FOUND(`"${code}"`);
    return s;
  }

  async save(principal: Principal, input: { code: string; names: { en: string; ru: string }; sort?: number; published?: boolean }): Promise<Status> {
    await this.ctx.kernel.rights.assert(principal, 'workflow.manage');
    if (!/^[a-z][a-z0-9_]{0,49}$/.test(input.code ?? '')) throw wfErrors.WORKFLOW_STATUS_INVALID('code: lower-case latin letters, digits and _, starting with a letter');
    if (!input.names?.en?.trim() || !input.names?.ru?.trim()) throw wfErrors.WORKFLOW_STATUS_INVALID('names: both en and ru are required');
    const row = { code: input.code, name_en: input.names.en.trim().slice(0, 200), name_ru: input.names.ru.trim().slice(0, 200), sort: Math.trunc(Number(input.sort ?? 100)) || 100 };
    const existing = (await this.ctx.db.write('statuses').where({ code: input.code }).first()) as Row | undefined;
    if (existing) await this.ctx.db.write('statuses').where({ id: existing.id }).update(row);
    else await this.ctx.db.write('statuses').insert({ ...row, published: false });
    return this.byCode(input.code);
  }

  /** Who may move documents into a status and edit them while in it (groups not listed may do neither). */
  async setRights(principal: Principal, code: string, input: unknown): Promise<Status> {
    await this.ctx.kernel.rights.assert(principal, 'workflow.manage');
    const rights = parseRights(input);
    const status = await this.byCode(code);
    const groups = new Set((await this.ctx.kernel.groups.list()).map((g) => g.id));
    for (const r of rights) if (!groups.has(r.groupId)) throw wfErrors.WORKFLOW_STATUS_INVALID(`group ${r.groupId} does not exist`);
    await this.ctx.db.transaction(async (tx) => {
      await tx.table('status_rights').where({ status_id: status.id }).delete();
      const rows = rights.filter((r) => r.canMove || r.canEdit).map((r) => ({ status_id: status.id, group_id: r.groupId, can_move: r.canMove, can_edit: r.canEdit }));
      if (rows.length) await tx.table('status_rights').insert(rows);
    });
    return this.byCode(code);
  }

  may(principal: Principal, status: Status, what: 'canMove' | 'canEdit'): boolean {
    if (principal.isAdmin) return true;
    return status.rights.some((r) => r[what] && principal.groupIds.includes(r.groupId));
  }

  async state(type: string, id: string): Promise<DocState | null> {
    const row = (await this.ctx.db.write('doc_states').where({ document_type: type, document_id: id }).first()) as Row | undefined;
    if (!row) return null;
    const status = (await this.list()).find((s) => s.id === Number(row.status_id))!;
    const draft = row.draft ? (JSON.parse(String(row.draft)) as ElementPatch) : null;
    return {
      status, livePublished: toBool(row.live_published), hasDraft: draft !== null, draft,
      lockedBy: row.locked_by === null ? null : Number(row.locked_by),
      lockedUntil: row.locked_until === null ? null : new Date(Number(row.locked_until)),
      modifiedBy: row.modified_by === null ? null : Number(row.modified_by), modifiedAt: new Date(Number(row.modified_at)),
    };
  }

  /** The first state of a new element (not published, no draft), with version 1. */
  async created(el: Element, userId: number | null): Promise<void> {
    const first = (await this.list()).find((s) => !s.published)!;
    await this.ctx.db.transaction(async (tx) => {
      await tx.table('doc_states').insert({ document_type: ELEMENT, document_id: String(el.id), status_id: first.id, live_published: false, modified_by: userId, modified_at: Date.now() });
      await this.addVersion(tx, String(el.id), first.id, 'created', snapshotOf(el), userId);
    });
  }

  /** The state of an element that existed before its infoblock used the workflow: published when active. */
  async ensure(el: Element): Promise<DocState> {
    const found = await this.state(ELEMENT, String(el.id));
    if (found) return found;
    const statuses = await this.list();
    const status = el.active ? statuses.find((s) => s.published)! : statuses.find((s) => !s.published)!;
    await this.ctx.db.transaction(async (tx) => {
      await tx.table('doc_states').insert({ document_type: ELEMENT, document_id: String(el.id), status_id: status.id, live_published: el.active, modified_by: el.modifiedBy, modified_at: Date.now() });
      await this.addVersion(tx, String(el.id), status.id, 'created', snapshotOf(el), el.modifiedBy);
    }).catch(async (err: unknown) => {
      if (!(await this.state(ELEMENT, String(el.id)))) throw err;
    });
    return (await this.state(ELEMENT, String(el.id)))!;
  }

  /** Refuses an edit the lock or the status rights do not allow. */
  async assertMayEdit(principal: Principal, st: DocState): Promise<void> {
    const now = Date.now();
    if (st.lockedBy !== null && st.lockedBy !== principal.userId && (st.lockedUntil?.getTime() ?? 0) > now) {
      throw wfErrors.WORKFLOW_LOCKED(`The element is locked for editing by ${await this.userName(st.lockedBy)} until ${st.lockedUntil!.toISOString()}`, { lockedBy: st.lockedBy, lockedUntil: st.lockedUntil!.toISOString() });
    }
    if (!this.may(principal, st.status, 'canEdit')) throw wfErrors.WORKFLOW_STATUS_DENIED(`You may not edit documents in the status "${st.status.names.en}"`, { status: st.status.code });
  }

  /** Keeps an edit of a published element as its draft (the live element stays as it is). */
  async keepDraft(id: number, st: DocState, patch: ElementPatch, userId: number | null): Promise<void> {
    const live = await this.ib().elements.get(SYSTEM, id);
    const merged = { ...(st.draft ?? {}), ...patch } as ElementPatch;
    if (patch.properties && st.draft?.properties) merged.properties = { ...st.draft.properties, ...patch.properties };
    delete merged.active;
    await this.ctx.db.transaction(async (tx) => {
      await tx.table('doc_states').where({ document_type: ELEMENT, document_id: String(id) }).update({ draft: JSON.stringify(merged), modified_by: userId, modified_at: Date.now() });
      await this.addVersion(tx, String(id), st.status.id, 'draft', applyPatch(snapshotOf(live), merged), userId);
    });
  }

  /** Records an edit written to the live element. */
  async edited(el: Element, userId: number | null): Promise<void> {
    const st = await this.state(ELEMENT, String(el.id));
    if (!st) return;
    await this.ctx.db.transaction(async (tx) => {
      await tx.table('doc_states').where({ document_type: ELEMENT, document_id: String(el.id) }).update({ modified_by: userId, modified_at: Date.now() });
      await this.addVersion(tx, String(el.id), st.status.id, 'edit', snapshotOf(el), userId);
    });
  }

  /**
   * Moves an element into a status. Into a published status the draft (if any) is written to the live element and
   * it becomes active; out of one, the live copy stays published and later edits become a draft.
   */
  async move(principal: Principal | null, id: string, code: string): Promise<DocState> {
    const el = await this.ib().elements.get(SYSTEM, Number(id)).catch(() => null);
    if (!el) throw wfErrors.WORKFLOW_DOCUMENT_NOT_FOUND(`${ELEMENT}:${id}`);
    if (principal) await this.ib().elements.get(principal, Number(id));
    const target = await this.byCode(code);
    const st = await this.ensure(el);
    if (principal && !this.may(principal, target, 'canMove')) throw wfErrors.WORKFLOW_STATUS_DENIED(`You may not move documents into the status "${target.names.en}"`, { status: target.code });
    const userId = principal?.userId ?? null;
    await this.ctx.events.runBefore('workflow.document.status', { documentType: ELEMENT, documentId: id, from: st.status.code, to: target.code, userId });
    let snapshot = applyPatch(snapshotOf(el), st.draft ?? {});
    if (target.published) {
      this.bypass.add(el.id);
      try {
        const written = await this.ib().elements.update(SYSTEM, el.id, { ...(st.draft ?? {}), active: true });
        snapshot = snapshotOf(written);
      } finally {
        this.bypass.delete(el.id);
      }
    }
    await this.ctx.db.transaction(async (tx) => {
      const patch: Row = { status_id: target.id, modified_by: userId, modified_at: Date.now(), version: tx.knex.raw('version + 1') };
      if (target.published) Object.assign(patch, { live_published: true, draft: null });
      await tx.table('doc_states').where({ document_type: ELEMENT, document_id: id }).update(patch);
      await this.addVersion(tx, id, target.id, target.published ? 'published' : 'status', snapshot, userId);
      await this.ctx.events.emitAfter('workflow.document.statusChanged', { documentType: ELEMENT, documentId: id, from: st.status.code, to: target.code, published: target.published, userId }, tx);
    });
    return (await this.state(ELEMENT, id))!;
  }

  /** Takes (or renews) the edit lock; refused while someone else holds one that has not expired. */
  async lock(principal: Principal, id: string): Promise<DocState> {
    if (principal.userId === null) throw coreErrors.UNAUTHENTICATED();
    const el = await this.ib().elements.get(principal, Number(id));
    const st = await this.ensure(el);
    await this.assertMayEdit(principal, { ...st, lockedBy: st.lockedBy === principal.userId ? null : st.lockedBy });
    const now = Date.now();
    const minutes = Math.max(1, Number(await this.ctx.option<number>('lock_minutes')));
    const n = await this.ctx.db
      .write('doc_states')
      .where({ document_type: ELEMENT, document_id: id })
      .andWhere((q) => q.whereNull('locked_by').orWhere('locked_by', principal.userId).orWhere('locked_until', '<', now))
      .update({ locked_by: principal.userId, locked_until: now + minutes * 60_000 });
    if (!n) await this.assertMayEdit(principal, (await this.state(ELEMENT, id))!);
    return (await this.state(ELEMENT, id))!;
  }

  async unlock(principal: Principal, id: string): Promise<DocState> {
    const st = await this.state(ELEMENT, id);
    if (!st) throw wfErrors.WORKFLOW_DOCUMENT_NOT_FOUND(`${ELEMENT}:${id}`);
    if (st.lockedBy !== null && st.lockedBy !== principal.userId && !(await this.ctx.kernel.rights.can(principal, 'workflow.manage'))) {
      throw wfErrors.WORKFLOW_LOCKED(`The lock belongs to ${await this.userName(st.lockedBy)}`);
    }
    await this.ctx.db.write('doc_states').where({ document_type: ELEMENT, document_id: id }).update({ locked_by: null, locked_until: null });
    return (await this.state(ELEMENT, id))!;
  }

  async history(principal: Principal, id: string): Promise<Version[]> {
    await this.ib().elements.get(principal, Number(id));
    const statuses = await this.list();
    const rows = (await this.ctx.db.read('versions').where({ document_type: ELEMENT, document_id: id }).orderBy('number', 'desc')) as Row[];
    return rows.map((r) => ({
      number: Number(r.number), status: statuses.find((s) => s.id === Number(r.status_id))?.code ?? '', kind: String(r.kind),
      createdBy: r.created_by === null ? null : Number(r.created_by), createdAt: new Date(Number(r.created_at)), data: JSON.parse(String(r.data)) as Snapshot,
    }));
  }

  async diff(principal: Principal, id: string, a: number, b: number): Promise<Change[]> {
    const all = await this.history(principal, id);
    const va = all.find((v) => v.number === a);
    const vb = all.find((v) => v.number === b);
    if (!va) throw wfErrors.WORKFLOW_VERSION_NOT_FOUND(String(a));
    if (!vb) throw wfErrors.WORKFLOW_VERSION_NOT_FOUND(String(b));
    return diffSnapshots(va.data, vb.data);
  }

  /** Brings a version back as an ordinary edit (a draft when the element is published). */
  async restore(principal: Principal, id: string, number: number): Promise<Element> {
    const v = (await this.history(principal, id)).find((x) => x.number === number);
    if (!v) throw wfErrors.WORKFLOW_VERSION_NOT_FOUND(String(number));
    return this.ib().elements.update(principal, Number(id), patchOf(v.data));
  }

  async forget(id: string): Promise<void> {
    await this.ctx.db.write('doc_states').where({ document_type: ELEMENT, document_id: id }).delete();
  }

  private async addVersion(tx: ModuleTx, id: string, statusId: number, kind: string, data: Snapshot, userId: number | null): Promise<void> {
    const last = (await tx.table('versions').where({ document_type: ELEMENT, document_id: id }).max('number as n').first()) as Row | undefined;
    await tx.table('versions').insert({ document_type: ELEMENT, document_id: id, number: Number(last?.n ?? 0) + 1, status_id: statusId, kind, data: JSON.stringify(data), created_by: userId, created_at: Date.now() });
  }

  private async userName(id: number): Promise<string> {
    const u = await this.ctx.kernel.users.find(id);
    return u ? [u.name, u.lastName].filter(Boolean).join(' ') || u.login : `user ${id}`;
  }
}

function toStatus(r: Row, rights: Row[]): Status {
  return {
    id: Number(r.id), code: String(r.code), names: { en: String(r.name_en), ru: String(r.name_ru) }, sort: Number(r.sort), published: toBool(r.published),
    rights: rights.filter((x) => Number(x.status_id) === Number(r.id)).map((x) => ({ groupId: Number(x.group_id), canMove: toBool(x.can_move), canEdit: toBool(x.can_edit) })),
  };
}

/** Checks a status's rights as given (REST, admin form, code): a list of { groupId, canMove, canEdit }, one per group. */
function parseRights(input: unknown): { groupId: number; canMove: boolean; canEdit: boolean }[] {
  if (!Array.isArray(input)) throw wfErrors.WORKFLOW_STATUS_INVALID('rights: give a list of { groupId, canMove, canEdit }');
  const seen = new Set<number>();
  return input.map((r: unknown, i) => {
    const o = (r && typeof r === 'object' ? r : {}) as Record<string, unknown>;
    if (!Number.isInteger(o.groupId) || Number(o.groupId) <= 0) throw wfErrors.WORKFLOW_STATUS_INVALID(`rights.${i}.groupId: a group id`);
    for (const k of ['canMove', 'canEdit']) if (o[k] !== undefined && typeof o[k] !== 'boolean') throw wfErrors.WORKFLOW_STATUS_INVALID(`rights.${i}.${k}: true or false`);
    const groupId = Number(o.groupId);
    if (seen.has(groupId)) throw wfErrors.WORKFLOW_STATUS_INVALID(`rights.${i}.groupId: group ${groupId} is listed twice`);
    seen.add(groupId);
    return { groupId, canMove: o.canMove === true, canEdit: o.canEdit === true };
  });
}
