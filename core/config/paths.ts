import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The project root: the folder holding package.json (compiled code runs from dist/). */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Compiled code lives in dist/ beside the sources. */
export const distRoot = path.join(projectRoot, 'dist');

export function resolveFromRoot(p: string): string {
  return path.isAbsolute(p) ? p : path.join(projectRoot, p);
}
