import type { ModuleDb } from '../db/module-db.js';
import { toBool } from '../db/module-db.js';
import type { Cache, Principal } from '../services.js';
import { pageErrors } from '../pages/errors.js';
import { markActive } from './active.js';
import { MENUS, type MenuItem, type MenuItemInput, type MenuName, type StoredMenuItem } from './types.js';

const TAG = 'main:menus';
const HREF = /^(\/(?![/\\])[^\s<>"]*|https?:\/\/[^\s<>"]+)$/i;

export interface MenuDeps {
  db: ModuleDb;
  cache: Cache;
  /** The rights check (kernel.rights.can). */
  can: (principal: Principal, operation: string) => Promise<boolean>;
  /** Whether an operation exists, for validating items. */
  isOperation: (operation: string) => boolean;
}

/**
 * Top and left menus per site, in main_menu_items. A site without items of its own for
 * a menu shows the default items (site '*'). Items one level deep; items whose operation
 * the user lacks are hidden.
 */
export class MenuService {
  constructor(private readonly deps: MenuDeps) {}

  /** Both menus as the layout shows them to this user on this path (one cache read). */
  async forLayout(opts: { siteId: string; path: string; language: string; principal: Principal | null | undefined }): Promise<Record<MenuName, MenuItem[]>> {
    const all = await this.load(opts.siteId);
    const out = {} as Record<MenuName, MenuItem[]>;
    for (const menu of MENUS) out[menu] = await this.build(pick(all, opts.siteId, menu), opts);
    return out;
  }

  /** One menu as the layout shows it to this user on this path. */
  async forRequest(opts: { siteId: string; menu: MenuName; path: string; language: string; principal: Principal | null | undefined }): Promise<MenuItem[]> {
    return this.build(await this.effective(opts.siteId, opts.menu), opts);
  }

  private async build(stored: StoredMenuItem[], opts: { path: string; language: string; principal: Principal | null | undefined }): Promise<MenuItem[]> {
    const items = stored.filter((i) => i.active);
    const ops = [...new Set(items.map((i) => i.operation).filter((o): o is string => !!o))];
    const allowed = new Set<string>();
    if (opts.principal) {
      const answers = await Promise.all(ops.map((op) => this.deps.can(opts.principal!, op)));
      ops.forEach((op, i) => answers[i] && allowed.add(op));
    }
    const visible = items.filter((i) => !i.operation || allowed.has(i.operation));
    const label = (i: StoredMenuItem) => (opts.language === 'ru' ? i.label.ru || i.label.en : i.label.en || i.label.ru);
    const tree: MenuItem[] = visible
      .filter((i) => i.parentId === null)
      .map((i) => {
        const children = visible.filter((c) => c.parentId === i.id).map((c) => ({ href: c.href, label: label(c), active: false }));
        return { href: i.href, label: label(i), active: false, ...(children.length ? { children } : {}) };
      });
    return markActive(tree, opts.path);
  }

  /** The items a site shows for a menu: its own when it has any, else the defaults ('*'). */
  async effective(siteId: string, menu: MenuName): Promise<StoredMenuItem[]> {
    return pick(await this.load(siteId), siteId, menu);
  }

  /** Every item of the site and the defaults, cached. */
  private load(siteId: string): Promise<StoredMenuItem[]> {
    return this.deps.cache.remember(`main:menus:${siteId}`, { ttl: 3600, tags: [TAG] }, async () => {
      const rows = (await this.deps.db.read('menu_items').whereIn('site_id', [siteId, '*']).orderBy([{ column: 'sort' }, { column: 'id' }])) as Record<string, unknown>[];
      return rows.map(toItem);
    });
  }

  /** Items stored for exactly this site id (or '*') and menu, parents first, for the editor. */
  async stored(siteId: string, menu: MenuName): Promise<StoredMenuItem[]> {
    const rows = (await this.deps.db.write('menu_items').where({ site_id: siteId, menu }).orderBy([{ column: 'sort' }, { column: 'id' }])) as Record<string, unknown>[];
    const items = rows.map(toItem);
    return items.filter((i) => i.parentId === null).flatMap((p) => [p, ...items.filter((c) => c.parentId === p.id)]);
  }

  async get(id: number): Promise<StoredMenuItem> {
    const row = Number.isInteger(id) && id > 0 ? await this.deps.db.write('menu_items').where({ id }).first() : undefined;
    if (!row) throw pageErrors.MENU_ITEM_MISSING(String(id));
    return toItem(row as Record<string, unknown>);
  }

  async create(input: MenuItemInput): Promise<StoredMenuItem> {
    const row = await this.check(input, null);
    const [id] = await this.deps.db.write('menu_items').insert({ ...row, created_at: Date.now() });
    await this.deps.cache.invalidateTags(TAG);
    return this.get(Number(id));
  }

  async update(id: number, input: Omit<MenuItemInput, 'siteId' | 'menu'>): Promise<StoredMenuItem> {
    const current = await this.get(id);
    const row = await this.check({ ...input, siteId: current.siteId, menu: current.menu }, id);
    await this.deps.db.write('menu_items').where({ id }).update(row);
    await this.deps.cache.invalidateTags(TAG);
    return this.get(id);
  }

  /** Removes an item and its children. */
  async remove(id: number): Promise<void> {
    await this.get(id);
    await this.deps.db.transaction(async (tx) => {
      await tx.table('menu_items').where({ parent_id: id }).delete();
      await tx.table('menu_items').where({ id }).delete();
    });
    await this.deps.cache.invalidateTags(TAG);
  }

  /** Gives a site its own copy of the default items of a menu, to edit apart from the others. */
  async copyDefaults(siteId: string, menu: MenuName): Promise<number> {
    if (siteId === '*' || (await this.stored(siteId, menu)).length) return 0;
    const defaults = await this.stored('*', menu);
    const now = Date.now();
    await this.deps.db.transaction(async (tx) => {
      const ids = new Map<number, number>();
      for (const d of defaults) {
        const [id] = await tx.table('menu_items').insert({
          site_id: siteId,
          menu,
          parent_id: d.parentId === null ? null : (ids.get(d.parentId) ?? null),
          label_en: d.label.en,
          label_ru: d.label.ru,
          href: d.href,
          sort: d.sort,
          operation: d.operation,
          active: d.active,
          created_at: now,
        });
        ids.set(d.id, Number(id));
      }
    });
    await this.deps.cache.invalidateTags(TAG);
    return defaults.length;
  }

  private async check(input: MenuItemInput, id: number | null) {
    const en = String(input.label?.en ?? '').trim();
    const ru = String(input.label?.ru ?? '').trim();
    const href = String(input.href ?? '').trim();
    if (!(MENUS as readonly string[]).includes(input.menu)) throw pageErrors.MENU_ITEM_INVALID(`The menu must be one of ${MENUS.join(', ')}`);
    if (!/^(\*|[a-z0-9_]{2,32})$/.test(input.siteId)) throw pageErrors.MENU_ITEM_INVALID(`"${input.siteId}" is not a site id`);
    if (!en && !ru) throw pageErrors.MENU_ITEM_INVALID('The item needs a label (English or Russian)');
    if (en.length > 255 || ru.length > 255) throw pageErrors.MENU_ITEM_INVALID('A label must be at most 255 characters');
    if (href.length > 255 || !HREF.test(href)) throw pageErrors.MENU_ITEM_INVALID(`The link "${href}" must be a path starting with "/" or an http(s) address`);
    if (input.operation && !this.deps.isOperation(input.operation)) throw pageErrors.MENU_ITEM_INVALID(`There is no operation "${input.operation}"`);
    const sort = Number(input.sort ?? 100);
    if (!Number.isInteger(sort)) throw pageErrors.MENU_ITEM_INVALID('The sort order must be a whole number');
    const parentId = input.parentId ? Number(input.parentId) : null;
    if (parentId !== null) {
      const parent = await this.get(parentId).catch(() => null);
      if (!parent || parent.siteId !== input.siteId || parent.menu !== input.menu) throw pageErrors.MENU_ITEM_INVALID('The parent must be an item of the same menu');
      if (parent.parentId !== null || parentId === id) throw pageErrors.MENU_ITEM_INVALID('Menus are one level deep: the parent must be a top-level item');
      if (id !== null && (await this.deps.db.write('menu_items').where({ parent_id: id }).first())) {
        throw pageErrors.MENU_ITEM_INVALID('An item with children cannot become a child itself');
      }
    }
    return { site_id: input.siteId, menu: input.menu, parent_id: parentId, label_en: en || ru, label_ru: ru || en, href, sort, operation: input.operation || null, active: input.active !== false };
  }
}

function pick(all: StoredMenuItem[], siteId: string, menu: MenuName): StoredMenuItem[] {
  const own = all.filter((i) => i.siteId === siteId && i.menu === menu);
  return own.length || siteId === '*' ? own : all.filter((i) => i.siteId === '*' && i.menu === menu);
}

function toItem(r: Record<string, unknown>): StoredMenuItem {
  return {
    id: Number(r.id),
    siteId: String(r.site_id),
    menu: String(r.menu) as MenuName,
    parentId: r.parent_id === null || r.parent_id === undefined ? null : Number(r.parent_id),
    label: { en: String(r.label_en), ru: String(r.label_ru) },
    href: String(r.href),
    sort: Number(r.sort),
    operation: r.operation ? String(r.operation) : null,
    active: toBool(r.active),
  };
}
