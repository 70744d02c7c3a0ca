import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Writes each `[template, out]` pair: reads the template from `templatesDir`, replaces
 * every `__KEY__` of `vars` (in one pass), and creates `out` under `root` (never overwriting).
 * Returns the written paths.
 */
export function writeTemplates(templatesDir: string, files: [string, string][], vars: Record<string, string>, root: string): string[] {
  for (const [template, out] of files) {
    // One pass, longest key first: a value (a title someone typed) is never scanned for keys again.
    const keys = Object.keys(vars).sort((a, b) => b.length - a.length).map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    const text = readFileSync(path.join(templatesDir, template), 'utf8').replace(new RegExp(keys.join('|'), 'g'), (key) => vars[key]!);
    mkdirSync(path.dirname(path.join(root, out)), { recursive: true });
    writeFileSync(path.join(root, out), text, { flag: 'wx' });
  }
  return files.map(([, out]) => out);
}
