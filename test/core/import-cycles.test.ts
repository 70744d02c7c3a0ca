import assert from 'node:assert/strict';
import { projectRoot } from '../../core/config/paths.js';
import { cyclePath, importCycles, importGraph, relativeSpecifiers } from '../harness/import-graph.js';

describe('import cycles', () => {
  it('reads imports, import type, export from, import() of a literal and module augmentations', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b.js';",
      "export { c } from './c.js';",
      "export * from './d.js';",
      "type E = import('./e.js').E;",
      "const f = () => import('./f.js');",
      "import path from 'node:path';",
      "declare module './g.js' { interface G { more: true } }",
      "const h = await import(someUrl);",
      "// import { i } from './i.js';",
    ].join('\n');
    assert.deepEqual(relativeSpecifiers(text), ['./a.js', '../b.js', './c.js', './d.js', './e.js', './f.js', './g.js']);
  });

  it('finds every strongly connected component and a path around it', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts', 'd.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['e.ts']],
      ['e.ts', []],
      ['f.ts', ['f.ts']],
    ]);
    assert.deepEqual(importCycles(graph), [['a.ts', 'b.ts', 'c.ts'], ['f.ts']]);
    assert.deepEqual(cyclePath(graph, ['a.ts', 'b.ts', 'c.ts']), ['a.ts', 'b.ts', 'c.ts', 'a.ts']);
  });

  it('no file of core, modules, components, templates, installer or cli takes part in an import cycle', () => {
    const graph = importGraph(projectRoot);
    assert.ok(graph.size > 100, `only ${graph.size} files found`);
    assert.ok(graph.get('core/kernel.ts')?.includes('core/modules/types.ts'), 'the kernel → module types import is not seen');
    const report = importCycles(graph).map((c) => `${c.length} files: ${c.join(', ')}\n  e.g. ${cyclePath(graph, c).join(' → ')}`);
    assert.deepEqual(report, [], `import cycles (a service below the kernel gets a deps object; shared types go to a leaf file):\n${report.join('\n')}`);
  });
});
