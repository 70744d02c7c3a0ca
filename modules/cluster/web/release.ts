import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { webErrors } from './errors.js';
import { onNode } from './node-shell.js';
import { rsync } from '../../../core/files/rsync.js';
import type { WebNode } from './types.js';

/** Left out of a release: state, local tooling, test output. `var` and `.pm2` are links to the node's own. */
export const RELEASE_EXCLUDES = ['/var', '/.pm2', '/.git', '/test/artifacts', '/bench/results', '/.upgrade.lock', '/upgrade-state.json'];
/** Releases kept on a node (the current one and the ones before it, for a quick way back). */
export const KEEP_RELEASES = 3;

/** The node's folders, the way Ghost-CLI lays out an install. */
export function nodeLayout(root: string) {
  return {
    root,
    releases: path.join(root, 'releases'),
    current: path.join(root, 'current'),
    var: path.join(root, 'var'),
    pm2Home: path.join(root, '.pm2'),
    release: (id: string) => path.join(root, 'releases', id),
  };
}

/** The version of the built portal in `source` (its package.json). */
export function sourceVersion(source: string): string {
  const file = path.join(source, 'package.json');
  if (!existsSync(file) || !existsSync(path.join(source, 'dist/cli/index.js'))) {
    throw webErrors.WEB_NODE_INVALID(`${source} is not a built portal (package.json and dist/cli/index.js are needed)`);
  }
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** A new release id: the version and the time of the push, so every push is a folder of its own. */
export function newReleaseId(version: string, at = new Date()): string {
  return `${version}-${at.toISOString().replace(/[-:T]/g, '').replace(/\.(\d{3})Z$/, '$1')}`;
}

async function must(node: Pick<WebNode, 'ssh'>, what: string, file: string, args: string[]): Promise<string> {
  const r = await onNode(node, file, args);
  if (!r.ok) throw webErrors.WEB_NODE_SYNC_FAILED(`${what}: ${r.error}`);
  return r.stdout;
}

/** The release `current` points at on the node, if any. */
export async function currentRelease(node: Pick<WebNode, 'ssh' | 'path'>): Promise<string | undefined> {
  const r = await onNode(node, 'readlink', [nodeLayout(node.path).current]);
  return r.ok ? path.basename(r.stdout.trim()) : undefined;
}

export interface InstalledRelease {
  id: string;
  dir: string;
}

/**
 * Copies the built portal in `source` to `<path>/releases/<id>` with rsync (unchanged files
 * hard-linked from the current release), links the release's var/ and .pm2/ to the node's,
 * and copies the shared config (`settings.json` of `varDir`) into the node's var/. Does not
 * switch `current`: the release is only placed. A release folder is never changed after this.
 */
export async function installRelease(node: Pick<WebNode, 'ssh' | 'path'>, source: string, varDir: string, id = newReleaseId(sourceVersion(source))): Promise<InstalledRelease> {
  const layout = nodeLayout(node.path);
  const dir = layout.release(id);
  const previous = await currentRelease(node);
  await must(node, `creating ${layout.var}`, 'mkdir', ['-p', layout.releases, layout.var, path.join(layout.var, 'upload'), layout.pm2Home]);
  await rsync(source, { path: dir, ssh: node.ssh }, { exclude: RELEASE_EXCLUDES, delete: true, linkDest: previous ? layout.release(previous) : undefined });
  for (const name of ['var', '.pm2']) {
    await must(node, `linking ${name} of release ${id}`, 'ln', ['-sfn', name === 'var' ? layout.var : layout.pm2Home, path.join(dir, name)]);
  }
  await syncSharedConfig(node, varDir);
  return { id, dir };
}

/** The shared config every node reads: var/settings.json of this install. */
export async function syncSharedConfig(node: Pick<WebNode, 'ssh' | 'path'>, varDir: string): Promise<void> {
  if (!existsSync(path.join(varDir, 'settings.json'))) throw webErrors.WEB_NODE_INVALID(`${varDir} has no settings.json: install the portal first (\`portal install\`)`);
  await rsync(varDir, { path: nodeLayout(node.path).var, ssh: node.ssh }, { include: ['/settings.json'], exclude: ['*'] });
}

/** Points `current` at a placed release in one rename. */
export async function switchCurrent(node: Pick<WebNode, 'ssh' | 'path'>, id: string): Promise<void> {
  const layout = nodeLayout(node.path);
  const next = `${layout.current}.next`;
  await must(node, 'placing the current link', 'ln', ['-sfn', path.join('releases', id), next]);
  await must(node, 'switching the current link', 'mv', ['-Tf', next, layout.current]);
}

/** Removes all but the newest KEEP_RELEASES releases, never `keep` (the current one). */
export async function pruneReleases(node: Pick<WebNode, 'ssh' | 'path'>, keep: string[]): Promise<string[]> {
  const layout = nodeLayout(node.path);
  const stamp = (id: string) => id.slice(id.lastIndexOf('-') + 1);
  const list = (await must(node, 'listing the releases', 'ls', ['-1', layout.releases])).split('\n').filter(Boolean).sort((a, b) => stamp(a).localeCompare(stamp(b)));
  const old = list.slice(0, Math.max(0, list.length - KEEP_RELEASES)).filter((id) => !keep.includes(id));
  if (old.length) await must(node, 'removing old releases', 'rm', ['-rf', ...old.map((id) => layout.release(id))]);
  return old;
}
