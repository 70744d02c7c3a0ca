import type { Localized } from '../../core/modules/types.js';

export type TextType = 'text' | 'html';
export const PROPERTY_TYPES = ['string', 'number', 'list', 'file', 'element', 'section', 'date', 'datetime', 'html', 'user'] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];

/** Rights per infoblock, least to most: deny, read, edit through workflow, write, full. */
export const IBLOCK_LEVELS = ['D', 'R', 'U', 'W', 'X'] as const;
export type IblockLevel = (typeof IBLOCK_LEVELS)[number];

export interface IblockType {
  id: number;
  code: string;
  names: Localized;
  sort: number;
  sections: boolean;
  createdAt: Date;
}
export interface IblockTypeInput {
  code: string;
  names: Localized;
  sort?: number;
  sections?: boolean;
}

export interface Iblock {
  id: number;
  typeId: number;
  code: string;
  name: string;
  siteId: string | null;
  sort: number;
  active: boolean;
  listUrl: string;
  detailUrl: string;
  sectionUrl: string;
  sectionsEnabled: boolean;
  workflow: boolean;
  description: string;
  createdAt: Date;
  modifiedAt: Date;
}
export interface IblockInput {
  typeId: number;
  code: string;
  name: string;
  siteId?: string | null;
  sort?: number;
  active?: boolean;
  listUrl?: string;
  detailUrl?: string;
  sectionUrl?: string;
  sectionsEnabled?: boolean;
  workflow?: boolean;
  description?: string;
  /** Levels per group id; default: registered R (signed-in employees). */
  rights?: Record<number, IblockLevel>;
}
export type IblockPatch = Partial<Omit<IblockInput, 'rights'>>;

export interface EnumValue {
  id: number;
  value: string;
  xmlId: string;
  sort: number;
  isDefault: boolean;
}
export interface EnumInput {
  id?: number;
  value: string;
  xmlId?: string;
  sort?: number;
  isDefault?: boolean;
}

export interface Property {
  id: number;
  iblockId: number;
  code: string;
  name: string;
  type: PropertyType;
  multiple: boolean;
  required: boolean;
  searchable: boolean;
  filterable: boolean;
  defaultValue: unknown;
  linkIblockId: number | null;
  sort: number;
  xmlId: string | null;
  enums: EnumValue[];
}
export interface PropertyInput {
  code: string;
  name: string;
  type: PropertyType;
  multiple?: boolean;
  required?: boolean;
  searchable?: boolean;
  filterable?: boolean;
  defaultValue?: unknown;
  linkIblockId?: number | null;
  sort?: number;
  xmlId?: string | null;
  enums?: EnumInput[];
}
export type PropertyPatch = Partial<Omit<PropertyInput, 'type' | 'code'>>;

export interface Section {
  id: number;
  iblockId: number;
  parentId: number | null;
  name: string;
  code: string;
  xmlId: string | null;
  active: boolean;
  sort: number;
  depth: number;
  /** Codes from the root, joined by "/" (#SECTION_CODE_PATH#). */
  codePath: string;
  description: string;
  createdAt: Date;
  modifiedAt: Date;
}
export interface SectionInput {
  parentId?: number | null;
  name: string;
  code?: string;
  xmlId?: string | null;
  active?: boolean;
  sort?: number;
  description?: string;
}

/** A property value as the API gives it: one value, or a list for multiple properties. */
export type PropertyValue = string | number | null;
export type PropertyValues = Record<string, PropertyValue | PropertyValue[]>;

export interface Element {
  id: number;
  iblockId: number;
  name: string;
  code: string;
  xmlId: string | null;
  active: boolean;
  activeFrom: Date | null;
  activeTo: Date | null;
  sort: number;
  previewText: string;
  previewTextType: TextType;
  detailText: string;
  detailTextType: TextType;
  previewPicture: number | null;
  detailPicture: number | null;
  tags: string[];
  createdBy: number | null;
  modifiedBy: number | null;
  createdAt: Date;
  modifiedAt: Date;
  sectionIds: number[];
  properties: PropertyValues;
  /** Filled from the infoblock's detail URL template. */
  detailUrl: string;
}
export interface ElementInput {
  name: string;
  code?: string;
  xmlId?: string | null;
  active?: boolean;
  activeFrom?: Date | number | string | null;
  activeTo?: Date | number | string | null;
  sort?: number;
  previewText?: string;
  previewTextType?: TextType;
  detailText?: string;
  detailTextType?: TextType;
  previewPicture?: number | null;
  detailPicture?: number | null;
  tags?: string[] | string;
  sectionIds?: number[];
  properties?: Record<string, unknown>;
}
export type ElementPatch = Partial<ElementInput>;

export type Filter = { [key: string]: unknown };
export interface ListQuery {
  filter?: Filter;
  order?: Record<string, string>;
  select?: string[];
  page?: number;
  pageSize?: number;
  /** The instant ACTIVE_DATE compares with (default now). */
  now?: number;
}
export interface ListResult<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
