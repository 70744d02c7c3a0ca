import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config/paths.js';
import type { Kernel } from '../kernel.js';

const NAME = /^[A-Za-z0-9_.-]+$/;

export interface SiteTemplateInfo {
  name: string;
  title: { en: string; ru: string };
}

/** Folders that may hold site templates: the renderer's root, then the project's templates/. */
function roots(kernel: Kernel): string[] {
  return [...new Set([kernel.components.roots.templates, path.join(projectRoot, 'templates')])];
}

export function isTemplateName(name: string): boolean {
  return NAME.test(name) && !name.includes('..');
}

/** Whether a site template of that name exists. */
export function siteTemplateExists(kernel: Kernel, name: string): boolean {
  return isTemplateName(name) && roots(kernel).some((r) => existsSync(path.join(r, name)));
}

/** Every site template, with its title from template.json when it has one. */
export function listSiteTemplates(kernel: Kernel): SiteTemplateInfo[] {
  const seen = new Map<string, SiteTemplateInfo>();
  for (const root of roots(kernel)) {
    if (!existsSync(root)) continue;
    for (const e of readdirSync(root, { withFileTypes: true })) {
      if (!e.isDirectory() || !isTemplateName(e.name) || seen.has(e.name)) continue;
      seen.set(e.name, { name: e.name, title: readTitle(path.join(root, e.name)) ?? { en: e.name, ru: e.name } });
    }
  }
  return [...seen.values()].sort((a, b) => (a.name === '.default' ? -1 : b.name === '.default' ? 1 : a.name.localeCompare(b.name)));
}

function readTitle(dir: string): { en: string; ru: string } | null {
  try {
    const json = JSON.parse(readFileSync(path.join(dir, 'template.json'), 'utf8')) as { name?: { en?: string; ru?: string } };
    if (json.name?.en) return { en: json.name.en, ru: json.name.ru ?? json.name.en };
  } catch {
    // no template.json: the folder name is the title
  }
  return null;
}
