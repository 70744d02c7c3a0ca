#!/usr/bin/env node
// The `portal` command: runs the compiled CLI (built by `npm install` / `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/index.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error('portal: not built yet; run `npm run build` first');
  process.exit(1);
}
await import(entry.href);
