import { deflateSync } from 'node:zlib';
import type { Kernel } from '../../core/kernel.js';
import type { HttpClient } from '../harness/http-client.js';

export const PASSWORD = 'correct horse 42';

/** A real PNG of one colour (valid signature, IHDR, IDAT and IEND with CRCs). */
export function solidPng(width: number, height: number, rgb: [number, number, number] = [37, 99, 235]): Buffer {
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** Posts a multipart form with one file (the CSRF token first in the body, as the form does). */
export async function uploadFile(
  client: HttpClient,
  path: string,
  csrf: string,
  file: { field: string; name: string; type: string; data: Buffer },
): Promise<Response> {
  const form = new FormData();
  form.set('_csrf', csrf);
  form.set(file.field, new Blob([new Uint8Array(file.data)], { type: file.type }), file.name);
  return client.request('POST', path, { body: form });
}

/** A small company: departments Sales (with Sales › Export) and IT, and colleagues in them. */
export async function seedCompany(kernel: Kernel): Promise<{ sales: number; exportDept: number; it: number }> {
  const d = kernel.users.departments;
  const sales = (await d.create({ name: 'Sales', sort: 10 })).id;
  const exportDept = (await d.create({ name: 'Export', parentId: sales })).id;
  const it = (await d.create({ name: 'IT', sort: 20 })).id;
  const people: [string, string, string, string, number | null][] = [
    ['ivan', 'Иван', 'Петров', 'Менеджер', sales],
    ['olga', 'Ольга', 'Сидорова', 'Экспорт-менеджер', exportDept],
    ['anna', 'Anna', 'Smith', 'Developer', it],
    ['boris', 'Борис', 'Иванов', 'Администратор', it],
    ['nobody', 'No', 'Department', '', null],
  ];
  for (const [login, name, lastName, position, departmentId] of people) {
    await kernel.users.create({ login, email: `${login}@example.com`, password: PASSWORD, name, lastName, position, departmentId, phone: '+7 (495) 123-45-67' });
  }
  return { sales, exportDept, it };
}
