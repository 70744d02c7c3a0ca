import { coreErrors } from '../errors/codes.js';
import type { Localized } from '../i18n/types.js';
import { paramProblems } from './param-messages.js';

/**
 * What a parameter's value names: an object a module owns (an infoblock code, a user group, a department).
 * The page builder asks that module, through its API's `checkReference(kind, value, language)`, whether
 * the object exists when a placement is saved and when the page is published (core/components/references.ts).
 */
export interface ParamReference {
  module: string;
  kind: string;
}

/** What every kind of parameter may say about itself. */
interface SpecBase {
  title?: Localized;
  /** What the value may hold, in words, shown under the field before anything goes wrong ("latin letters and _"). */
  hint?: Localized;
}

/** One parameter of a component; the schema describes itself so a form can be built from it. */
export type ParamSpec =
  | (SpecBase & {
      type: 'string';
      default?: string;
      maxLength?: number;
      options?: readonly string[];
      /** How a form names the options (the value stays the code), e.g. { ASC: { en: 'Ascending', ru: 'По возрастанию' } }. */
      optionTitles?: Readonly<Record<string, Localized>>;
      /** An empty value is refused (the default is not used). */
      required?: boolean;
      refers?: ParamReference;
      /** Further check of a non-empty value: returns what is wrong with it (e.g. "is not valid JSON"), in words, or nothing. */
      check?: (value: string) => string | Localized | null | undefined;
    })
  | (SpecBase & { type: 'number'; default?: number; min?: number; max?: number; integer?: boolean; refers?: ParamReference })
  | (SpecBase & { type: 'boolean'; default?: boolean });

export type ParamSchema = Record<string, ParamSpec>;

type ValueOf<S extends ParamSpec> = S extends { type: 'string' } ? string : S extends { type: 'number' } ? number : boolean;
export type ParamsOf<S extends ParamSchema> = { [K in keyof S]: ValueOf<S[K]> };

/**
 * Checks raw parameters (from code, a page definition or a form) against the schema,
 * fills defaults and converts strings; throws VALIDATION_FAILED naming the parameter
 * (`details.param`, and `details.problem` with the problem in English and Russian).
 */
export function validateParams<S extends ParamSchema>(component: string, schema: S, raw: Record<string, unknown>): ParamsOf<S> {
  const out: Record<string, unknown> = {};
  const unknown = Object.keys(raw).filter((k) => !Object.hasOwn(schema, k));
  if (unknown.length) throw paramError(`${component}: unknown parameter "${unknown[0]}"`, unknown[0]!, paramProblems.unknown());
  for (const [name, spec] of Object.entries(schema)) {
    const value = raw[name];
    const label = `${component}: parameter "${name}"`;
    if (value === undefined || value === '') {
      if (spec.type === 'string' && spec.required) throw paramError(`${label} ${paramProblems.required().en}`, name, paramProblems.required());
      out[name] = defaultOf(spec);
      continue;
    }
    out[name] = convertParam(spec, value, label, name);
  }
  return out as ParamsOf<S>;
}

/** A VALIDATION_FAILED naming the parameter, with the problem in both languages for forms. */
function paramError(message: string, param: string | undefined, problem: Localized) {
  return coreErrors.VALIDATION_FAILED(message, { ...(param ? { param } : {}), problem });
}

/** The value of a parameter left out: its default, else '', 0 or false. */
export function defaultOf(spec: ParamSpec): unknown {
  return spec.default ?? (spec.type === 'string' ? '' : spec.type === 'number' ? 0 : false);
}

/**
 * Converts and checks one raw value; throws VALIDATION_FAILED whose message starts with `label`
 * (and whose details name `param` and carry the problem in both languages).
 */
export function convertParam(spec: ParamSpec, value: unknown, label: string, param?: string): unknown {
  const fail = (problem: Localized) => paramError(`${label} ${problem.en}`.trim(), param, problem);
  switch (spec.type) {
    case 'string': {
      if (typeof value !== 'string' && typeof value !== 'number') throw fail(paramProblems.text());
      const s = String(value);
      if (spec.maxLength !== undefined && s.length > spec.maxLength) throw fail(paramProblems.maxLength(spec.maxLength));
      if (spec.options && !spec.options.includes(s)) throw fail(paramProblems.options(spec.options));
      const problem = spec.check?.(s);
      if (problem) throw fail(typeof problem === 'string' ? { en: problem, ru: problem } : problem);
      return s;
    }
    case 'number': {
      const n = typeof value === 'number' ? value : Number(String(value).trim());
      if (!Number.isFinite(n)) throw fail(paramProblems.number(String(value).slice(0, 50)));
      if (spec.integer && !Number.isInteger(n)) throw fail(paramProblems.integer());
      if (spec.min !== undefined && n < spec.min) throw fail(paramProblems.min(spec.min));
      if (spec.max !== undefined && n > spec.max) throw fail(paramProblems.max(spec.max));
      return n;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (['1', 'true', 'on', 'yes'].includes(String(value))) return true;
      if (['0', 'false', 'off', 'no'].includes(String(value))) return false;
      throw fail(paramProblems.boolean());
  }
}

/** The schema as plain JSON, for the page builder's form. */
export function describeParams(schema: ParamSchema): { name: string; spec: ParamSpec }[] {
  return Object.entries(schema).map(([name, spec]) => ({ name, spec }));
}
