import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../core/config/paths.js';
import en from '../../modules/main/lang/en-admin.js';
import ru from '../../modules/main/lang/ru-admin.js';
import enAll from '../../modules/main/lang/en.js';

describe('admin messages', () => {
  it('have the same keys in English and Russian', () => {
    assert.deepEqual(Object.keys(ru).sort(), Object.keys(en).sort());
    for (const [key, text] of Object.entries(ru)) assert.ok(text.trim(), `${key} has Russian text`);
  });

  it('are all used by the admin screens, and every key they use exists', () => {
    // Main's screens, main's menu entries, and the kernel's shared admin frame, kit and views (they use main's words).
    const dirs = [path.join(projectRoot, 'modules/main/views/admin'), path.join(projectRoot, 'modules/main/routes/admin'), path.join(projectRoot, 'core/http/admin-views')];
    const files = ['modules/main/admin-menu.ts', 'core/http/admin-menu.ts', 'core/http/admin-kit.ts'].map((f) => path.join(projectRoot, f));
    const source = [...dirs.flatMap((d) => readdirSync(d).map((f) => path.join(d, f))), ...files].map((f) => readFileSync(f, 'utf8')).join('\n');
    const used = new Set(source.match(/ADM_[A-Z0-9_]+/g));
    const prefixes = [...used].filter((k) => k.endsWith('_'));
    for (const key of used) if (!key.endsWith('_')) assert.ok(key in en, `${key} is defined`);
    for (const key of Object.keys(en)) assert.ok(used.has(key) || prefixes.some((p) => key.startsWith(p)), `${key} is used`);
  });

  it('do not collide with (and get overridden by) the main module\'s other messages', () => {
    for (const key of Object.keys(en)) assert.equal(enAll[key], en[key], `${key} reaches the main catalogue unchanged`);
  });
});
