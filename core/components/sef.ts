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

/** Turns `topic/#ID#/` into a regex; variables match one path segment. */
function compile(routes: Record<string, string>): CompiledRoute[] {
  const out: CompiledRoute[] = [];
  for (const [name, template] of Object.entries(routes)) {
    if (template.startsWith('/') || template.includes('..')) throw sefErrors.SEF_ROUTE_INVALID(`SEF route "${name}" must be relative to the page, got "${template}"`);
    const vars: string[] = [];
    let source = '';
    let last = 0;
    for (const m of template.matchAll(VAR)) {
      source += escape(template.slice(last, m.index)) + '([^/]+)';
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
    const decoded = r.vars.every((v, i) => (raw[v] = safeDecode(m[i + 1]!) ?? '') !== '');
    if (!decoded) continue;
    const schema = Object.fromEntries(r.vars.map((v) => [v, sef.vars?.[v] ?? { type: 'string' as const, maxLength: 200 }]));
    try {
      return { route: r.name, vars: validateParams('url', schema, raw) };
    } catch (err) {
      if (isPortalError(err) && err.status === 400) continue;
      throw err;
    }
  }
  return null;
}

/** Builds a URL from a route template and variables (values are URL-encoded). */
export function buildSefUrl(base: string, sef: { routes: Record<string, string> }, route: string, vars: Record<string, string | number> = {}): string {
  const template = sef.routes[route];
  if (template === undefined) throw sefErrors.SEF_ROUTE_INVALID(`unknown SEF route "${route}"`);
  return base + template.replace(VAR, (_, name: string) => (name in vars ? encodeURIComponent(String(vars[name])) : `#${name}#`));
}

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}
