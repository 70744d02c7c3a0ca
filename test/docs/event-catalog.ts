import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { projectRoot } from '../../core/config/paths.js';

/** One event as declared in a `declare module '.../events/types.js'` block. */
export interface DeclaredEvent {
  name: string;
  kind: 'before' | 'after';
  /** The payload type as written in the declaration. */
  payload: string;
  /** The declaration's comment without its tags. */
  summary: string;
  /** Each `@firedBy`: the call in backticks and where it is used. */
  firedBy: { call: string; where: string }[];
  /** Declaring file, relative to the project root. */
  file: string;
  /** Named types the payload uses, with the file each is imported from. */
  types: Map<string, string>;
}

/** Where modules and the kernel declare events (tests and docs examples are not listed). */
const SOURCE_DIRS = ['core', 'modules'];

/** Every event the kernel and the modules under modules/ declare, in declaration order. */
export function readEventCatalog(root = projectRoot): DeclaredEvent[] {
  const events: DeclaredEvent[] = [];
  for (const file of SOURCE_DIRS.flatMap((dir) => tsFiles(path.join(root, dir)))) {
    const text = readFileSync(file, 'utf8');
    if (!/interface (Before|After)Events\b/.test(text) || !text.includes('declare module')) continue;
    events.push(...eventsOf(ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true), path.relative(root, file)));
  }
  return events;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) return tsFiles(full);
      return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
    });
}

function eventsOf(sf: ts.SourceFile, file: string): DeclaredEvent[] {
  const imports = importedTypes(sf, file);
  const out: DeclaredEvent[] = [];
  for (const stmt of sf.statements) {
    if (!ts.isModuleDeclaration(stmt) || !ts.isStringLiteral(stmt.name) || !/events\/types\.js$/.test(stmt.name.text)) continue;
    if (!stmt.body || !ts.isModuleBlock(stmt.body)) continue;
    for (const decl of stmt.body.statements) {
      if (!ts.isInterfaceDeclaration(decl) || !['BeforeEvents', 'AfterEvents'].includes(decl.name.text)) continue;
      const kind = decl.name.text === 'BeforeEvents' ? 'before' : 'after';
      for (const member of decl.members) {
        if (!ts.isPropertySignature(member) || !member.type || !(ts.isStringLiteral(member.name) || ts.isIdentifier(member.name))) continue;
        out.push({
          name: member.name.text,
          kind,
          payload: member.type.getText(sf).replace(/\s+/g, ' '),
          summary: summaryOf(member),
          firedBy: firedByOf(member),
          file,
          types: typesOf(member.type, imports),
        });
      }
    }
  }
  return out;
}

function summaryOf(node: ts.Node): string {
  const doc = ts.getJSDocCommentsAndTags(node).find(ts.isJSDoc);
  return (ts.getTextOfJSDocComment(doc?.comment) ?? '').replace(/\s+/g, ' ').trim();
}

function firedByOf(node: ts.Node): { call: string; where: string }[] {
  return ts
    .getJSDocTags(node)
    .filter((tag) => tag.tagName.text === 'firedBy')
    .map((tag) => {
      const text = (ts.getTextOfJSDocComment(tag.comment) ?? '').replace(/\s+/g, ' ').trim();
      const m = /^`([^`]+)`:?\s*(.*)$/.exec(text);
      if (!m) throw new Error(`@firedBy "${text}" must start with the call in backticks`);
      return { call: m[1]!, where: m[2]! };
    });
}

/** Type name -> file it is imported from (relative to the root), for one source file. */
function importedTypes(sf: ts.SourceFile, file: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const stmt of sf.statements) {
    if (!ts.isImportDeclaration(stmt) || !ts.isStringLiteral(stmt.moduleSpecifier)) continue;
    const from = path.join(path.dirname(file), stmt.moduleSpecifier.text.replace(/\.js$/, '.ts'));
    const named = stmt.importClause?.namedBindings;
    if (named && ts.isNamedImports(named)) for (const el of named.elements) out.set(el.name.text, from);
  }
  return out;
}

function typesOf(type: ts.TypeNode, imports: Map<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (node: ts.Node): void => {
    if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName) && imports.has(node.typeName.text)) {
      out.set(node.typeName.text, imports.get(node.typeName.text)!);
    }
    node.forEachChild(visit);
  };
  visit(type);
  return out;
}

/** Identifier path of a call as written in `@firedBy`: `kernel.users.setActive(id, active)` -> `kernel.users.setActive`. */
export function callName(call: string): string {
  return call.replace(/\(.*$/, '');
}

export const BEGIN = '<!-- events:begin -->';
export const END = '<!-- events:end -->';

/** The generated part of docs/events.md: per module, its events and what each call fires. */
export function renderEventTables(events: DeclaredEvent[]): string {
  const modules = [...new Set(events.map((e) => e.name.split('.')[0]!))];
  const parts: string[] = [
    BEGIN,
    '<!-- Generated from the event declarations by `npm run docs:events`; test/docs/events-doc.test.ts fails when this part is out of date. -->',
  ];
  for (const module of modules) {
    const own = events.filter((e) => e.name.split('.')[0] === module);
    parts.push('', `## ${module}`, '', `Declared in ${[...new Set(own.map((e) => `\`${e.file}\``))].join(', ')}. ${typesLine(own)}`, '');
    parts.push('| event | payload | runs | can veto | what it means | fired by |', '|---|---|---|---|---|---|');
    for (const e of own) {
      const runs = e.kind === 'before' ? 'before the change; may change `data`' : 'after the commit';
      const veto = e.kind === 'before' ? 'yes (422)' : 'no';
      const fired = e.firedBy.map((f) => `\`${f.call}\``).join('<br>');
      parts.push(`| \`${e.name}\` | \`${cell(e.payload)}\` | ${runs} | ${veto} | ${cell(e.summary)} | ${fired} |`);
    }
    parts.push('', `### What a call of ${module} fires`, '', '| call | used by | fires (before-events first) |', '|---|---|---|');
    for (const [call, fired] of byCall(own)) {
      const where = [...new Set(fired.map((f) => f.where).filter(Boolean))].join('; ');
      parts.push(`| \`${call}\` | ${cell(where) || '—'} | ${fired.map((f) => `\`${f.event.name}\``).join(' → ')} |`);
    }
  }
  parts.push(END);
  return parts.join('\n');
}

/** Calls in first-mention order, each with the events it fires: before-events first. */
export function byCall(events: DeclaredEvent[]): Map<string, { event: DeclaredEvent; where: string }[]> {
  const out = new Map<string, { event: DeclaredEvent; where: string }[]>();
  for (const kind of ['before', 'after'] as const) {
    for (const event of events.filter((e) => e.kind === kind)) {
      for (const f of event.firedBy) {
        const key = callName(f.call);
        const full = [...out.keys()].find((k) => callName(k) === key) ?? f.call;
        out.set(full, [...(out.get(full) ?? []), { event, where: f.where }]);
      }
    }
  }
  return out;
}

function typesLine(events: DeclaredEvent[]): string {
  const byFile = new Map<string, Set<string>>();
  for (const e of events) for (const [name, file] of e.types) byFile.set(file, (byFile.get(file) ?? new Set()).add(name));
  if (!byFile.size) return '';
  return `Payload types: ${[...byFile].map(([file, names]) => `${[...names].map((n) => `\`${n}\``).join(', ')} (\`${file}\`)`).join('; ')}.`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
