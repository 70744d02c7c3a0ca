import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../core/config/paths.js';
import en from '../../modules/main/lang/en-intranet.js';
import ru from '../../modules/main/lang/ru-intranet.js';

/** Every file under `dir` whose name ends with one of `exts`. */
function files(dir: string, exts: string[]): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return files(p, exts);
    return exts.some((e) => name.endsWith(e)) ? [p] : [];
  });
}

describe('intranet messages', () => {
  it('has the same keys in English and Russian, none empty', () => {
    assert.deepEqual(Object.keys(ru).sort(), Object.keys(en).sort());
    for (const [key, text] of [...Object.entries(en), ...Object.entries(ru)]) assert.ok(text.trim(), `${key} is empty`);
  });

  it('keeps the #PARAMS# of each message in both languages', () => {
    const params = (s: string) => [...s.matchAll(/#([A-Z0-9_]+)#/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(en)) assert.deepEqual(params(ru[key]!), params(en[key]!), key);
  });

  it('defines every INTRANET_ key the screens, components and templates use', () => {
    const roots = ['modules/main/views/intranet', 'modules/main/routes/intranet', 'components', 'templates'].map((p) => path.join(projectRoot, p));
    const used = new Set<string>();
    for (const file of roots.flatMap((r) => files(r, ['.eta', '.ts']))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\b(INTRANET_[A-Z0-9_]*[A-Z0-9])\b/g)) used.add(m[1]!);
    }
    assert.ok(used.size > 40, 'keys found');
    const missing = [...used].filter((k) => !(k in en));
    assert.deepEqual(missing, []);
  });
});
