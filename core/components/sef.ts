import { defineErrors, isPortalError } from '../errors/portal-error.js';
import { validateParams, type ParamSchema } from './params.js';

export const sefErrors = defineErrors({
  /** No SEF route of a complex component matches the URL (or its variables are not valid). */
  PAGE_NOT_FOUND: { status: 404, message: (m) => (m ? `Not found: ${m}` : 'Not found') },
  SEF_ROUTE_INVALID: { status: 500, message: (m) => m },
});

const VAR = /#([A-Z][A-Z0-9_]*)#/g;

interface CompiledRoute {
  name: string;
  template: string;
  regex: RegExp;
  vars: string[];
  /** Literal characters: routes with more literal text are tried first. */
  weight: number;
}

const compiled = new WeakMap<object, CompiledRoute[]>();

/** Variables named `*_PATH` (`#SECTION_CODE_PATH#`) match one or more path segments. */
const isPathVar = (name: string) => name.endsWith('_PATH');

/** Turns `topic/#ID#/` into a regex; variables match one path segment, `*_PATH` ones several. */
function compile(routes: Record<string, string>): CompiledRoute[] {
  const out: CompiledRoute[] = [];
  for (const [name, template] of Object.entries(routes)) {
    if (template.startsWith('/') || template.includes('..')) throw sefErrors.SEF_ROUTE_INVALID(`SEF route "${name}" must be relative to the page, got "${template}"`);
    const vars: string[] = [];
    let source = '';
    let last = 0;
    for (const m of template.matchAll(VAR)) {
      source += escape(template.slice(last, m.index)) + (isPathVar(m[1]!) ? '([^/]+(?:/[^/]+)*)' : '([^/]+)');
      vars.push(m[1]!);
      last = m.index! + m[0].length;
    }
    source += escape(template.slice(last));
    out.push({ name, template, regex: new RegExp(`^${source}$`), vars, weight: template.replace(VAR, '').length });
  }
  return out.sort((a, b) => b.weight - a.weight || a.vars.length - b.vars.length);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface SefMatch {
  route: string;
  vars: Record<string, unknown>;
}

/**
 * Matches the part of the URL below the page (`topic/5/`) against the routes. A route
 * whose variables fail validation is skipped; when nothing matches the result is null.
 */
export function matchSef(sef: { routes: Record<string, string>; vars?: ParamSchema }, subPath: string): SefMatch | null {
  let routes = compiled.get(sef);
  if (!routes) {
    routes = compile(sef.routes);
    compiled.set(sef, routes);
  }
  for (const r of routes) {
    const m = r.regex.exec(subPath);
    if (!m) continue;
    const raw: Record<string, string> = {};
    const decoded = r.vars.every((v, i) => (raw[v] = decodeVar(v, m[i + 1]!) ?? '') !== '');
    if (!decoded) continue;
    const schema = Object.fromEntries(r.vars.map((v) => [v, sef.vars?.[v] ?? { type: 'string' as const, maxLength: isPathVar(v) ? 1000 : 200 }]));
    try {
      return { route: r.name, vars: validateParams('url', schema, raw) };
    } catch (err) {
      if (isPortalError(err) && err.status === 400) continue;
      throw err;
    }
  }
  return null;
}

/** Builds a URL from a route template and variables (values are URL-encoded; `*_PATH` ones per segment). */
export function buildSefUrl(base: string, sef: { routes: Record<string, string> }, route: string, vars: Record<string, string | number> = {}): string {
  const template = Object.hasOwn(sef.routes, route) ? sef.routes[route] : undefined;
  if (template === undefined) throw sefErrors.SEF_ROUTE_INVALID(`unknown SEF route "${route}"`);
  const encode = (name: string, value: string) => (isPathVar(name) ? value.split('/').map(encodeURIComponent).join('/') : encodeURIComponent(value));
  return base + template.replace(VAR, (_, name: string) => (Object.hasOwn(vars, name) ? encode(name, String(vars[name])) : `#${name}#`));
}

/** Decodes a matched value; a path is decoded per segment, and a segment may not decode to a "/". */
function decodeVar(name: string, s: string): string | null {
  if (!isPathVar(name)) return safeDecode(s);
  const segments = s.split('/').map(safeDecode);
  return segments.every((x) => x !== null && x !== '' && x !== '.' && x !== '..' && !x.includes('/')) ? segments.join('/') : null;
}

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}
