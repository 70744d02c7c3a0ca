import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../core/config/paths.js';

/** The folder of the test sources (TypeScript, not dist/). */
export const testRoot = path.join(projectRoot, 'test');

/** Test files under `dir` as paths relative to test/ without `.test.ts`, e.g. `admin/users`. */
export function testFiles(dir = testRoot, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    if (d.isDirectory()) return d.name === 'fixtures' || d.name === 'artifacts' ? [] : testFiles(path.join(dir, d.name), `${prefix}${d.name}/`);
    return d.name.endsWith('.test.ts') ? [`${prefix}${d.name.slice(0, -'.test.ts'.length)}`] : [];
  });
}

/** The source of test file `name` (as testFiles() names it). */
export function testSource(name: string): string {
  return readFileSync(path.join(testRoot, `${name}.test.ts`), 'utf8');
}

/** Every test file's source, joined: for meta tests that look for a test of each declared thing. */
export function allTestSources(): string {
  return testFiles().map(testSource).join('\n');
}
