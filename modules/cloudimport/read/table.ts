import { parse } from 'csv-parse/sync';
import { cloudErrors } from '../errors.js';
import { decodeText } from './encoding.js';

export type RawRow = Record<string, unknown>;

/**
 * Column titles of the cloud's UI exports (English and Russian interfaces) and the REST field each one is.
 * A title that is already a field code (ID, NAME, EMAIL...) passes through as it is.
 */
const TITLES: Record<string, string> = {
  id: 'ID',
  name: 'NAME',
  'first name': 'NAME',
  имя: 'NAME',
  'last name': 'LAST_NAME',
  фамилия: 'LAST_NAME',
  'second name': 'SECOND_NAME',
  'middle name': 'SECOND_NAME',
  отчество: 'SECOND_NAME',
  'e-mail': 'EMAIL',
  email: 'EMAIL',
  'work e-mail': 'EMAIL',
  'рабочий e-mail': 'EMAIL',
  active: 'ACTIVE',
  активность: 'ACTIVE',
  активен: 'ACTIVE',
  position: 'WORK_POSITION',
  должность: 'WORK_POSITION',
  department: 'UF_DEPARTMENT',
  departments: 'UF_DEPARTMENT',
  подразделение: 'UF_DEPARTMENT',
  подразделения: 'UF_DEPARTMENT',
  'mobile phone': 'PERSONAL_MOBILE',
  'мобильный телефон': 'PERSONAL_MOBILE',
  phone: 'PHONE',
  'work phone': 'PHONE',
  телефон: 'PHONE',
  'рабочий телефон': 'PHONE',
  'date of birth': 'PERSONAL_BIRTHDAY',
  birthday: 'PERSONAL_BIRTHDAY',
  'дата рождения': 'PERSONAL_BIRTHDAY',
  title: 'TITLE',
  'company name': 'TITLE',
  название: 'TITLE',
  'название компании': 'TITLE',
  company: 'COMPANY_ID',
  компания: 'COMPANY_ID',
  contact: 'CONTACT_ID',
  контакт: 'CONTACT_ID',
  stage: 'STAGE_ID',
  стадия: 'STAGE_ID',
  status: 'STATUS_ID',
  статус: 'STATUS_ID',
  responsible: 'ASSIGNED_BY_ID',
  ответственный: 'ASSIGNED_BY_ID',
  created: 'DATE_CREATE',
  'date created': 'DATE_CREATE',
  'дата создания': 'DATE_CREATE',
  modified: 'DATE_MODIFY',
  'дата изменения': 'DATE_MODIFY',
  comment: 'COMMENTS',
  comments: 'COMMENTS',
  комментарий: 'COMMENTS',
  website: 'WEB',
  сайт: 'WEB',
  amount: 'OPPORTUNITY',
  сумма: 'OPPORTUNITY',
  currency: 'CURRENCY_ID',
  валюта: 'CURRENCY_ID',
};

/** The field code of a column title. */
export function fieldOfTitle(title: string): string {
  const t = title.trim();
  if (/^[A-Z][A-Z0-9_]*$/.test(t)) return t;
  return TITLES[t.toLowerCase()] ?? t;
}

/** Rows of a header line and data lines; the empty column after a trailing separator is dropped. */
function toRows(table: string[][], file: string): RawRow[] {
  const [head, ...body] = table;
  if (!head) return [];
  let width = head.length;
  while (width > 0 && head[width - 1]!.trim() === '') width--;
  const fields = head.slice(0, width).map(fieldOfTitle);
  if (!fields.includes('ID')) throw cloudErrors.CLOUD_BAD_FILE(`${file}: no ID column in the header (${fields.slice(0, 5).join(', ')})`);
  const rows: RawRow[] = [];
  for (const cells of body) {
    if (cells.every((c) => c.trim() === '')) continue;
    const row: RawRow = {};
    fields.forEach((f, i) => (row[f] = cells[i] ?? ''));
    rows.push(row);
  }
  return rows;
}

/** A CSV UI export: UTF-8 with a BOM or windows-1251, ';' (or ',') separators, a trailing separator, quoted cells. */
export function parseCsv(buf: Buffer, file: string): RawRow[] {
  const text = decodeText(buf, file);
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = firstLine.split(';').length >= firstLine.split(',').length ? ';' : ',';
  let table: string[][];
  try {
    table = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][];
  } catch (err) {
    throw cloudErrors.CLOUD_BAD_FILE(`${file}: not a readable CSV (${(err as Error).message})`);
  }
  return toRows(table, file);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Text of a cell: tags out, <br> as a new line, entities decoded, spaces collapsed. */
function cellText(html: string): string {
  return decodeEntities(html.replace(/<br\s*\/?>/gi, '\n').replace(/<[^>]*>/g, ''))
    .replace(/[ \t\r\f]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim();
}

/**
 * The HTML table the cloud saves as ".xls": the first <table>, its first row the header. Only the table markup the
 * export writes is read (tr, th, td); anything else in a cell becomes its text.
 */
export function parseHtmlTable(buf: Buffer, file: string): RawRow[] {
  const text = decodeText(buf, file);
  const table = /<table[\s>][\s\S]*?<\/table>/i.exec(text);
  if (!table) throw cloudErrors.CLOUD_BAD_FILE(`${file}: no HTML table in this .xls (a real Excel file is not supported; save it as CSV)`);
  const rows: string[][] = [];
  for (const tr of table[0].matchAll(/<tr[\s>]([\s\S]*?)(?=<tr[\s>]|<\/table>)/gi)) {
    const cells = [...tr[1]!.matchAll(/<t([dh])(?:\s[^>]*)?>([\s\S]*?)(?=<t[dh][\s>]|<\/tr>|$)/gi)].map((m) => cellText(m[2]!.replace(/<\/t[dh]>\s*$/i, '')));
    rows.push(cells);
  }
  return toRows(rows, file);
}
