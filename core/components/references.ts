import type { Localized } from '../modules/types.js';
import { referenceProblems } from './param-messages.js';
import type { ParamSchema } from './params.js';

/**
 * What a module's API offers so component parameters can name its objects (`refers: { module, kind }`
 * in a parameter spec): what is wrong with a reference, in the language, or null when the object exists.
 * Existence only, whoever asks: who may see the object is checked when the page is rendered.
 */
export interface ReferenceChecker {
  checkReference(kind: string, value: string | number, language: string): Promise<string | null>;
}

export interface ReferenceProblem {
  param: string;
  /** The problem in the language asked for, to follow the parameter's name. */
  message: string;
  /** The same in English, for logs and API clients. */
  en: string;
}

/** How the references of a schema reach the owning modules: their APIs (undefined when not installed). */
export interface ReferenceDeps {
  api(moduleId: string): unknown;
}

/**
 * Asks the owning module of every referring parameter with a value (not '' or 0) whether the object it
 * names exists; returns the problems, one per parameter, in schema order.
 */
export async function checkReferences(deps: ReferenceDeps, schema: ParamSchema, params: Record<string, unknown>, language: string): Promise<ReferenceProblem[]> {
  const lang = language === 'ru' ? 'ru' : 'en';
  const checks = Object.entries(schema).map(async ([param, spec]): Promise<ReferenceProblem | null> => {
    if (spec.type === 'boolean' || !spec.refers || !Object.hasOwn(params, param)) return null;
    const value = params[param];
    if (value === '' || value === 0 || value === undefined || value === null) return null;
    if (typeof value !== 'string' && typeof value !== 'number') return null;
    const { module, kind } = spec.refers;
    const api = deps.api(module);
    const fixed = (p: Localized): ReferenceProblem => ({ param, message: p[lang], en: p.en });
    if (!api) return fixed(referenceProblems.moduleMissing(module));
    if (typeof (api as Partial<ReferenceChecker>).checkReference !== 'function') return fixed(referenceProblems.unchecked(module, kind));
    const checker = api as ReferenceChecker;
    const message = await checker.checkReference(kind, value, lang);
    if (message === null) return null;
    return { param, message, en: lang === 'en' ? message : ((await checker.checkReference(kind, value, 'en')) ?? message) };
  });
  return (await Promise.all(checks)).filter((p): p is ReferenceProblem => p !== null);
}
