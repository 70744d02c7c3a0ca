import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../core/config/paths.js';
import { DATE_SUITES, HANDLES_DATES } from './date-suites.js';

function testFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    if (d.isDirectory()) return d.name === 'fixtures' || d.name === 'artifacts' ? [] : testFiles(path.join(dir, d.name), `${prefix}${d.name}/`);
    return d.name.endsWith('.test.ts') ? [`${prefix}${d.name.slice(0, -'.test.ts'.length)}`] : [];
  });
}

describe('the second time-zone pass', () => {
  const root = path.join(projectRoot, 'test');

  it('covers every test file that handles dates', () => {
    const handling = testFiles(root).filter((name) => HANDLES_DATES.test(readFileSync(path.join(root, `${name}.test.ts`), 'utf8')));
    const missing = handling.filter((name) => !DATE_SUITES.includes(name));
    assert.deepEqual(missing, [], `add these to DATE_SUITES in test/date-suites.ts: ${missing.join(', ')}`);
  });

  it('names only test files that exist', () => {
    assert.deepEqual(DATE_SUITES.filter((name) => !existsSync(path.join(root, `${name}.test.ts`))), []);
  });
});
