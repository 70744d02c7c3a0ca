import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../core/config/load-config.js';
import { startServer } from '../../core/http/server.js';
import { Kernel } from '../../core/kernel.js';
import { silentLogger } from '../../core/log/logger.js';
import { installPortal } from '../../installer/install.js';
import { HttpClient } from '../harness/http-client.js';
import { freshPortal, type CliPortal } from '../cli/cli-harness.js';
import type { DbKind } from '../harness/db-matrix.js';

export const ADMIN_PASSWORD = 'Admin-pass-123';
export const EMPLOYEE = { login: 'olga', email: 'olga@example.com', password: 'Olga-pass-456' };

/** A fresh portal of `kind` installed with the demo content and one employee with a known password. */
export async function demoPortal(kind: DbKind): Promise<CliPortal> {
  const portal = await freshPortal(kind);
  await installPortal({ env: portal.env, adminPassword: ADMIN_PASSWORD, demo: true });
  await withPortal(portal.env, (k) => k.users.create({ ...EMPLOYEE }));
  return portal;
}

export async function withPortal<T>(env: Record<string, string>, fn: (kernel: Kernel) => Promise<T>): Promise<T> {
  const kernel = await Kernel.boot(await loadConfig({ env }), { log: silentLogger() });
  try {
    return await fn(kernel);
  } finally {
    await kernel.close();
  }
}

/** Serves the portal of `env` on a free port while `fn` runs. */
export async function serving<T>(env: Record<string, string>, fn: (url: string, kernel: Kernel) => Promise<T>): Promise<T> {
  return withPortal(env, async (kernel) => {
    const server = await startServer(kernel, { host: '127.0.0.1', port: 0 });
    try {
      return await fn(server.url, kernel);
    } finally {
      await server.close();
    }
  });
}

/** A page without what differs per request (CSRF tokens). */
function normalize(html: string): string {
  return html.replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf"').replace(/<meta name="csrf-token" content="[^"]*">/g, '');
}

/**
 * What a visitor sees: the signed-in pages, a filtered list, a detail page, the directory,
 * the bytes of every download, and whether the admin and an employee can sign in.
 */
export async function visibleState(env: Record<string, string>): Promise<Record<string, string>> {
  return serving(env, async (url, kernel) => {
    const out: Record<string, string> = {};
    const admin = new HttpClient(url);
    out.adminSignIn = String((await admin.signIn('admin', ADMIN_PASSWORD)).status);
    const employee = new HttpClient(url);
    out.employeeSignIn = String((await employee.signIn(EMPLOYEE.login, EMPLOYEE.password)).status);
    out.wrongPassword = String((await new HttpClient(url).signIn(EMPLOYEE.login, 'not-the-password')).status);
    for (const p of ['/', '/news/', '/news/?nf.PROPERTY_SOURCE=finance', '/news/new-office-opens/', '/news/section/company/', '/company/']) {
      const res = await employee.get(p);
      out[`page ${p}`] = `${res.status} ${normalize(await res.text())}`;
    }
    const ids = (await kernel.db('main').read('files').orderBy('id').pluck('id')) as number[];
    assert.ok(ids.length >= 4, 'the demo has pictures');
    for (const id of ids) {
      const f = await kernel.files.get(Number(id));
      const res = await employee.get(kernel.files.url(f));
      out[`download ${f.id}`] = `${res.status} ${createHash('sha256').update(Buffer.from(await res.arrayBuffer())).digest('hex')}`;
    }
    return out;
  });
}

/** The archive's manifest (its first entry), read with the tar CLI-independent reader. */
export async function manifestOf(file: string): Promise<import('../../core/backup/format.js').Manifest> {
  const { readArchive } = await import('../../core/backup/read-archive.js');
  return readArchive(file);
}

export function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

export function inDir(dir: string, ...parts: string[]): string {
  return path.join(dir, ...parts);
}

/** Unpacks an archive, lets `edit` change files or the manifest, and packs it again in manifest order. */
export async function repack(
  file: string,
  out: string,
  edit: (dir: string, manifest: import('../../core/backup/format.js').Manifest) => void,
): Promise<void> {
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const os = await import('node:os');
  const tar = await import('tar');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'portal-repack-'));
  try {
    await tar.extract({ file, cwd: dir });
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as import('../../core/backup/format.js').Manifest;
    edit(dir, manifest);
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    const { existsSync } = await import('node:fs');
    await tar.create({ file: out, cwd: dir, gzip: true }, ['manifest.json', ...manifest.entries.map((e) => e.path).filter((p) => existsSync(path.join(dir, p)))]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
