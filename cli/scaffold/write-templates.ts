import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Writes each `[template, out]` pair: reads the template from `templatesDir`, replaces
 * every `__KEY__` of `vars`, and creates `out` under `root` (never overwriting).
 * Returns the written paths.
 */
export function writeTemplates(templatesDir: string, files: [string, string][], vars: Record<string, string>, root: string): string[] {
  for (const [template, out] of files) {
    let text = readFileSync(path.join(templatesDir, template), 'utf8');
    for (const [key, value] of Object.entries(vars)) text = text.split(key).join(value);
    mkdirSync(path.dirname(path.join(root, out)), { recursive: true });
    writeFileSync(path.join(root, out), text, { flag: 'wx' });
  }
  return files.map(([, out]) => out);
}
