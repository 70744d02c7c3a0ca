import { toBool } from '../../core/db/module-db.js';
import type { EnumValue, Iblock, IblockType, Property, PropertyType, Section } from './types.js';

type Row = Record<string, unknown>;
const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function toIblockType(r: Row): IblockType {
  return { id: num(r.id), code: String(r.code), names: JSON.parse(String(r.names)), sort: num(r.sort), sections: toBool(r.sections), createdAt: new Date(num(r.created_at)) };
}

export function toIblock(r: Row): Iblock {
  return {
    id: num(r.id),
    typeId: num(r.type_id),
    code: String(r.code),
    name: String(r.name),
    siteId: r.site_id === null ? null : String(r.site_id),
    sort: num(r.sort),
    active: toBool(r.active),
    listUrl: String(r.list_url),
    detailUrl: String(r.detail_url),
    sectionUrl: String(r.section_url),
    sectionsEnabled: toBool(r.sections_enabled),
    workflow: toBool(r.workflow),
    description: String(r.description),
    createdAt: new Date(num(r.created_at)),
    modifiedAt: new Date(num(r.modified_at)),
  };
}

export function toEnum(r: Row): EnumValue {
  return { id: num(r.id), value: String(r.value), xmlId: String(r.xml_id), sort: num(r.sort), isDefault: toBool(r.is_default) };
}

export function toProperty(r: Row, enums: EnumValue[]): Property {
  return {
    id: num(r.id),
    iblockId: num(r.iblock_id),
    code: String(r.code),
    name: String(r.name),
    type: String(r.type) as PropertyType,
    multiple: toBool(r.multiple),
    required: toBool(r.required),
    searchable: toBool(r.searchable),
    filterable: toBool(r.filterable),
    defaultValue: r.default_value === null || r.default_value === undefined ? null : JSON.parse(String(r.default_value)),
    linkIblockId: numOrNull(r.link_iblock_id),
    sort: num(r.sort),
    xmlId: r.xml_id === null ? null : String(r.xml_id),
    enums,
  };
}

export function toSection(r: Row): Section {
  return {
    id: num(r.id),
    iblockId: num(r.iblock_id),
    parentId: numOrNull(r.parent_id),
    name: String(r.name),
    code: String(r.code),
    xmlId: r.xml_id === null ? null : String(r.xml_id),
    active: toBool(r.active),
    sort: num(r.sort),
    depth: num(r.depth),
    codePath: String(r.code_path),
    description: String(r.description),
    createdAt: new Date(num(r.created_at)),
    modifiedAt: new Date(num(r.modified_at)),
  };
}
