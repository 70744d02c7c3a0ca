import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DATE_SUITES, HANDLES_DATES } from './date-suites.js';
import { testFiles, testRoot, testSource } from './harness/test-sources.js';

describe('the second time-zone pass', () => {
  it('covers every test file that handles dates', () => {
    const handling = testFiles().filter((name) => HANDLES_DATES.test(testSource(name)));
    const missing = handling.filter((name) => !DATE_SUITES.includes(name));
    assert.deepEqual(missing, [], `add these to DATE_SUITES in test/date-suites.ts: ${missing.join(', ')}`);
  });

  it('names only test files that exist', () => {
    assert.deepEqual(DATE_SUITES.filter((name) => !existsSync(path.join(testRoot, `${name}.test.ts`))), []);
  });
});
