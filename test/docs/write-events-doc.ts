/**
 * `npm run docs:events`: rewrites the generated part of docs/events.md (between the
 * events:begin and events:end markers) from the event declarations.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../core/config/paths.js';
import { BEGIN, END, readEventCatalog, renderEventTables } from './event-catalog.js';

const file = path.join(projectRoot, 'docs/events.md');
const text = readFileSync(file, 'utf8');
const start = text.indexOf(BEGIN);
const end = text.indexOf(END);
if (start < 0 || end < start) {
  console.error(`docs:events: ${file} has no ${BEGIN} ... ${END} block`);
  process.exit(1);
}
const events = readEventCatalog();
writeFileSync(file, text.slice(0, start) + renderEventTables(events) + text.slice(end + END.length));
console.log(`docs/events.md: ${events.length} events`);
