import type { Knex } from 'knex';
import type { ModuleContext } from '../../../core/modules/types.js';
import { toBool } from '../../../core/db/module-db.js';
import { ibErrors } from '../errors.js';
import type { IblockMeta } from '../meta.js';
import { multiColumn, multiTable, singleColumn, singleTable } from '../storage/value-columns.js';
import type { Element, ListQuery, ListResult, Property, PropertyValue, TextType } from '../types.js';
import { elementField } from './fields.js';
import { drivingProperty, fromTables } from './driver.js';
import { compileFilter, whereSql, type CompileEnv } from './filter.js';
import { fillUrl } from './urls.js';

type Row = Record<string, unknown>;
const MAX_PAGE_SIZE = 500;

export function compileEnv(ctx: ModuleContext, meta: IblockMeta, now: number): CompileEnv {
  const { db } = ctx;
  return {
    meta,
    now,
    tables: { elements: db.table('elements'), single: db.table(singleTable(meta.iblock.id)), multi: db.table(multiTable(meta.iblock.id)), elementSections: db.table('element_sections'), sections: db.table('sections') },
    async sectionPaths(ids) {
      const rows = (await db.read('sections').whereIn('id', ids).where({ iblock_id: meta.iblock.id }).select('id', 'path')) as Row[];
      return new Map(rows.map((r) => [Number(r.id), String(r.path)]));
    },
  };
}

/** Which properties (and whether section bindings) a select list asks for; unknown names are a 400. */
export function resolveSelect(meta: IblockMeta, select: string[] | undefined): { props: Property[]; sections: boolean } {
  if (select === undefined) return { props: meta.properties, sections: true };
  if (!Array.isArray(select)) throw ibErrors.SELECT_FIELD_UNKNOWN(String(select));
  const props = new Set<Property>();
  let sections = false;
  for (const name of select) {
    if (typeof name !== 'string') throw ibErrors.SELECT_FIELD_UNKNOWN(String(name));
    if (name === '*' || elementField(name) || name === 'DETAIL_PAGE_URL') continue;
    if (name === 'SECTION_ID' || name === 'SECTIONS') sections = true;
    else if (name === 'PROPERTY_*') meta.properties.forEach((p) => props.add(p));
    else if (name.startsWith('PROPERTY_') && meta.byCode.has(name.slice(9))) props.add(meta.byCode.get(name.slice(9))!);
    else throw ibErrors.SELECT_FIELD_UNKNOWN(name, { field: name });
  }
  return { props: [...props], sections };
}

function applyOrder(qb: Knex.QueryBuilder, meta: IblockMeta, order: Record<string, string> | undefined): void {
  let hasId = false;
  if (order !== undefined && (typeof order !== 'object' || order === null || Array.isArray(order))) throw ibErrors.ORDER_FIELD_INVALID('order must be an object of field: ASC|DESC');
  for (const [field, rawDir] of Object.entries(order ?? { SORT: 'ASC' })) {
    const dir = String(rawDir).toLowerCase();
    if (dir !== 'asc' && dir !== 'desc') throw ibErrors.ORDER_FIELD_INVALID(`Order direction "${String(rawDir)}" of "${field}" must be ASC or DESC`, { field });
    const base = elementField(field);
    let col: string;
    if (base) col = `e.${base.column}`;
    else if (field.startsWith('PROPERTY_') && meta.byCode.has(field.slice(9))) {
      const p = meta.byCode.get(field.slice(9))!;
      if (p.multiple) throw ibErrors.ORDER_FIELD_INVALID(`Cannot order by multiple property "${field}"`, { field });
      col = `s.${singleColumn(p.id)}`;
    } else throw ibErrors.ORDER_FIELD_INVALID(`Unknown order field "${field}"`, { field });
    if (field === 'ID') hasId = true;
    qb.orderBy(col, dir);
  }
  if (!hasId) qb.orderBy('e.id', 'asc');
}

export function pageOf(query: ListQuery): { page: number; pageSize: number } {
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 20;
  if (!Number.isSafeInteger(page) || page < 1) throw ibErrors.PAGINATION_INVALID(`page must be a positive integer, not ${String(page)}`);
  if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) throw ibErrors.PAGINATION_INVALID(`pageSize must be 1..${MAX_PAGE_SIZE}, not ${String(pageSize)}`);
  return { page, pageSize };
}

/** Element rows with the selected single-value columns (e.*, s.p<ID> as p<ID>). */
function elementRows(ctx: ModuleContext, meta: IblockMeta, singles: Property[]): Knex.QueryBuilder {
  const { db } = ctx;
  return db
    .read('elements')
    .from(`${db.table('elements')} as e`)
    .leftJoin(`${db.table(singleTable(meta.iblock.id))} as s`, 's.element_id', 'e.id')
    .select('e.*', ...singles.map((p) => `s.${singleColumn(p.id)} as ${singleColumn(p.id)}`));
}

/**
 * One page of elements matching the filter, in order, with the total count.
 * The page is found as ids first (the sort carries only the order columns and ids, no
 * text columns, so it stays in memory), then those rows are read by primary key.
 */
export async function queryElements(ctx: ModuleContext, meta: IblockMeta, query: ListQuery, siteDir: string): Promise<ListResult<Element>> {
  const { db } = ctx;
  const { page, pageSize } = pageOf(query);
  const env = compileEnv(ctx, meta, query.now ?? Date.now());
  const where = await compileFilter(query.filter, env);
  const sel = resolveSelect(meta, query.select);
  const driver = db.dialect === 'sqlite' ? drivingProperty(query.filter, env) : null;
  const from = (qb: Knex.QueryBuilder) => whereSql(fromTables(qb, env, driver).where('e.iblock_id', meta.iblock.id), where);
  const idQuery = from(db.read('elements')).select('e.id');
  applyOrder(idQuery, meta, query.order);
  // The total and the page's ids are independent: on MariaDB they run at once on two connections.
  const [countRow, idRows] = await Promise.all([
    from(db.read('elements')).count({ n: '*' }).first() as Promise<{ n: unknown } | undefined>,
    idQuery.limit(pageSize).offset((page - 1) * pageSize) as Promise<Row[]>,
  ]);
  const total = Number(countRow?.n ?? 0);
  const ids = idRows.map((r) => Number(r.id));
  if (!ids.length) return { items: [], total, page, pageSize };
  const [found, related] = await Promise.all([
    elementRows(ctx, meta, sel.props.filter((p) => !p.multiple)).whereIn('e.id', ids) as Promise<Row[]>,
    relatedRows(ctx, meta, sel, (qb, column) => qb.whereIn(column, ids)),
  ]);
  const byId = new Map(found.map((r) => [Number(r.id), r]));
  const rows = ids.map((id) => byId.get(id)).filter((r): r is Row => r !== undefined);
  return { items: toElements(meta, rows, sel, related, siteDir), total, page, pageSize };
}

/**
 * The element with this code (lowest SORT, then ID, when codes repeat), or null. Its row, multiple
 * values and section bindings are three lookups on (iblock_id, code) that run at once.
 */
export async function findByCode(ctx: ModuleContext, meta: IblockMeta, code: string, siteDir: string): Promise<Element | null> {
  const { db } = ctx;
  const sel = resolveSelect(meta, undefined);
  const q = elementRows(ctx, meta, sel.props.filter((p) => !p.multiple)).where('e.iblock_id', meta.iblock.id).where('e.code', code);
  const withCode = (qb: Knex.QueryBuilder, column: string) =>
    qb.whereIn(column, db.read('elements').where({ iblock_id: meta.iblock.id, code }).select('id'));
  const [row, related] = await Promise.all([q.orderBy('e.sort', 'asc').orderBy('e.id', 'asc').first() as Promise<Row | undefined>, relatedRows(ctx, meta, sel, withCode)]);
  return row ? toElements(meta, [row], sel, related, siteDir)[0]! : null;
}

/** Multiple values and section bindings (with code paths when the detail URL needs them) of some elements. */
interface Related {
  multiRows: Row[];
  bindings: Row[];
}

/** Loads what `toElements` needs besides the rows; `scope` limits a query's element-id column to the wanted elements. */
async function relatedRows(ctx: ModuleContext, meta: IblockMeta, sel: { props: Property[] }, scope: (qb: Knex.QueryBuilder, column: string) => Knex.QueryBuilder): Promise<Related> {
  const { db } = ctx;
  const multis = sel.props.filter((p) => p.multiple);
  const multiQuery = multis.length ? scope(db.read(multiTable(meta.iblock.id)), 'element_id').whereIn('property_id', multis.map((p) => p.id)).orderBy('id') : null;
  const bindingQuery = scope(db.read('element_sections').from(`${db.table('element_sections')} as b`), 'b.element_id')
    .orderBy([{ column: 'b.element_id' }, { column: 'b.section_id' }])
    .select('b.element_id', 'b.section_id');
  if (meta.iblock.detailUrl.includes('#SECTION_CODE_PATH#')) bindingQuery.leftJoin(`${db.table('sections')} as sec`, 'sec.id', 'b.section_id').select('sec.code_path');
  const [multiRows, bindings] = await Promise.all([multiQuery ?? Promise.resolve([]), bindingQuery]);
  return { multiRows: multiRows as Row[], bindings: bindings as Row[] };
}

/** Turns element rows (with single-value columns) into elements with multiple values and sections. */
export async function hydrate(ctx: ModuleContext, meta: IblockMeta, rows: Row[], sel: { props: Property[]; sections: boolean }, siteDir: string): Promise<Element[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => Number(r.id));
  return toElements(meta, rows, sel, await relatedRows(ctx, meta, sel, (qb, column) => qb.whereIn(column, ids)), siteDir);
}

function toElements(meta: IblockMeta, rows: Row[], sel: { props: Property[]; sections: boolean }, related: Related, siteDir: string): Element[] {
  const { multiRows, bindings } = related;
  const codePaths = new Map<number, string>();
  for (const b of bindings) if (b.code_path !== undefined && b.code_path !== null) codePaths.set(Number(b.section_id), String(b.code_path));
  return rows.map((r) => {
    const id = Number(r.id);
    const properties: Record<string, PropertyValue | PropertyValue[]> = {};
    for (const p of sel.props) {
      if (p.multiple) {
        const col = multiColumn(p.type);
        properties[p.code] = multiRows.filter((m) => Number(m.element_id) === id && Number(m.property_id) === p.id).map((m) => outValue(p, m[col]));
      } else properties[p.code] = outValue(p, r[singleColumn(p.id)]);
    }
    const secs = bindings.filter((b) => Number(b.element_id) === id).map((b) => Number(b.section_id));
    const code = String(r.code);
    return {
      id,
      iblockId: Number(r.iblock_id),
      name: String(r.name),
      code,
      xmlId: r.xml_id === null ? null : String(r.xml_id),
      active: toBool(r.active),
      activeFrom: r.active_from === null ? null : new Date(Number(r.active_from)),
      activeTo: r.active_to === null ? null : new Date(Number(r.active_to)),
      sort: Number(r.sort),
      previewText: String(r.preview_text),
      previewTextType: String(r.preview_text_type) as TextType,
      detailText: String(r.detail_text),
      detailTextType: String(r.detail_text_type) as TextType,
      previewPicture: r.preview_picture === null ? null : Number(r.preview_picture),
      detailPicture: r.detail_picture === null ? null : Number(r.detail_picture),
      tags: String(r.tags) ? String(r.tags).split(',') : [],
      createdBy: r.created_by === null ? null : Number(r.created_by),
      modifiedBy: r.modified_by === null ? null : Number(r.modified_by),
      createdAt: new Date(Number(r.created_at)),
      modifiedAt: new Date(Number(r.modified_at)),
      sectionIds: sel.sections ? secs : [],
      properties,
      detailUrl: fillUrl(meta.iblock.detailUrl, { siteDir, iblockCode: meta.iblock.code, sectionCodePath: codePaths.get(secs[0] ?? 0), sectionId: secs[0] ?? null, elementCode: code, id }),
    };
  });
}

function outValue(p: Property, v: unknown): PropertyValue {
  if (v === null || v === undefined) return null;
  if (p.type === 'string' || p.type === 'html' || p.type === 'date') return String(v);
  return Number(v);
}
