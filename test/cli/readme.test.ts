import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../core/config/paths.js';
import { ok, runCli } from './cli-harness.js';

interface Usage {
  /** The command words, alternatives expanded: [['user', 'add'], ['user', 'list'], ...]. */
  commands: string[][];
  options: string[];
  text: string;
}

/** The `portal …` spans of the README's CLI table. */
function readmeUsages(): Usage[] {
  const readme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('## The CLI at a glance'), readme.indexOf('## Layout'));
  const rows = table.split('\n').filter((l) => l.startsWith('| `portal'));
  const usages: Usage[] = [];
  for (const row of rows) {
    const firstCell = row.replace(/\\\|/g, '¦').split('|')[1]!;
    for (const [, raw] of firstCell.matchAll(/`([^`]+)`/g)) {
      const text = raw!.replace(/¦/g, '|');
      const words = text.replace(/\[[^\]]*\]|<[^>]*>|--\S+/g, ' ').trim().split(/\s+/);
      const [top, ...subs] = words[0] === 'portal' ? words.slice(1) : words;
      const alternatives = subs.flatMap((w) => w.split('|')).filter((w) => /^[a-z-]+$/.test(w));
      usages.push({
        // `a b|c` names alternatives of one level; `node add` without a bar is a path of nested commands.
        commands: !alternatives.length ? [[top!]] : subs.some((w) => w.includes('|')) || alternatives.length === 1 ? alternatives.map((s) => [top!, s]) : [[top!, ...alternatives]],
        options: [...text.matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]),
        text,
      });
    }
  }
  return usages;
}

describe('README: the CLI table', () => {
  const env = { PORTAL_VAR_DIR: path.join(os.tmpdir(), `portal-readme-${process.pid}`), PORTAL_DB_URL: 'sqlite::memory:' };
  const helps = new Map<string, Promise<string>>();
  const help = (cmd: string[]): Promise<string> => {
    const key = cmd.join(' ');
    if (!helps.has(key)) helps.set(key, runCli([...cmd, '--help'], env).then(ok));
    return helps.get(key)!;
  };
  before(async function () {
    this.timeout(120_000);
    // Four at a time: each is a node process.
    const all = [...new Map(readmeUsages().flatMap((u) => u.commands).map((c) => [c.join(' '), c])).values(), ['infoblocks', 'export'], ['infoblocks', 'import']];
    for (let i = 0; i < all.length; i += 4) await Promise.all(all.slice(i, i + 4).map(help));
  });

  it('names only commands and options that exist', async () => {
    const usages = readmeUsages();
    assert.ok(usages.length >= 15, 'the table is found');
    for (const u of usages) {
      const texts = await Promise.all(u.commands.map(help));
      for (const option of u.options) {
        assert.ok(texts.some((t) => new RegExp(`^\\s+(-\\w, )?${option}\\b`, 'm').test(t)), `README "${u.text}" names ${option}, which ${u.commands.map((c) => c.join(' ')).join(' / ')} does not have`);
      }
    }
  });

  it('names every option of the infoblocks exchange commands (--files-dir for CSV files too)', async () => {
    const usages = readmeUsages();
    for (const sub of ['export', 'import']) {
      const usage = usages.find((u) => u.commands.some((c) => c.join(' ') === `infoblocks ${sub}`));
      assert.ok(usage, `the README has a row for infoblocks ${sub}`);
      const own = [...(await help(['infoblocks', sub])).matchAll(/^\s+(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((m) => m[1]!).filter((o) => o !== '--help' && o !== '--json');
      assert.ok(own.includes('--files-dir'), `infoblocks ${sub} has --files-dir`);
      for (const option of own) assert.ok(usage.options.includes(option), `README "${usage.text}" lacks ${option}`);
    }
  });
});
