import { coreErrors } from '../errors/codes.js';
import type { Localized } from '../modules/types.js';

/** One parameter of a component; the schema describes itself so a form can be built from it. */
export type ParamSpec =
  | {
      type: 'string';
      default?: string;
      title?: Localized;
      maxLength?: number;
      options?: readonly string[];
      /** How a form names the options (the value stays the code), e.g. { ASC: { en: 'Ascending', ru: 'По возрастанию' } }. */
      optionTitles?: Readonly<Record<string, Localized>>;
      /** Further check of a non-empty value: returns what is wrong with it (e.g. "is not valid JSON"), or nothing. */
      check?: (value: string) => string | null | undefined;
    }
  | { type: 'number'; default?: number; title?: Localized; min?: number; max?: number; integer?: boolean }
  | { type: 'boolean'; default?: boolean; title?: Localized };

export type ParamSchema = Record<string, ParamSpec>;

type ValueOf<S extends ParamSpec> = S extends { type: 'string' } ? string : S extends { type: 'number' } ? number : boolean;
export type ParamsOf<S extends ParamSchema> = { [K in keyof S]: ValueOf<S[K]> };

/**
 * Checks raw parameters (from code, a page definition or a form) against the schema,
 * fills defaults and converts strings; throws VALIDATION_FAILED naming the parameter.
 */
export function validateParams<S extends ParamSchema>(component: string, schema: S, raw: Record<string, unknown>): ParamsOf<S> {
  const out: Record<string, unknown> = {};
  const unknown = Object.keys(raw).filter((k) => !Object.hasOwn(schema, k));
  if (unknown.length) throw coreErrors.VALIDATION_FAILED(`${component}: unknown parameter "${unknown[0]}"`);
  for (const [name, spec] of Object.entries(schema)) {
    const value = raw[name];
    const label = `${component}: parameter "${name}"`;
    if (value === undefined || value === '') {
      out[name] = defaultOf(spec);
      continue;
    }
    out[name] = convertParam(spec, value, label);
  }
  return out as ParamsOf<S>;
}

/** The value of a parameter left out: its default, else '', 0 or false. */
export function defaultOf(spec: ParamSpec): unknown {
  return spec.default ?? (spec.type === 'string' ? '' : spec.type === 'number' ? 0 : false);
}

/** Converts and checks one raw value; throws VALIDATION_FAILED starting with `label`. */
export function convertParam(spec: ParamSpec, value: unknown, label: string): unknown {
  switch (spec.type) {
    case 'string': {
      if (typeof value !== 'string' && typeof value !== 'number') throw coreErrors.VALIDATION_FAILED(`${label} must be text`);
      const s = String(value);
      if (spec.maxLength !== undefined && s.length > spec.maxLength) throw coreErrors.VALIDATION_FAILED(`${label} must be at most ${spec.maxLength} characters`);
      if (spec.options && !spec.options.includes(s)) throw coreErrors.VALIDATION_FAILED(`${label} must be one of ${spec.options.join(', ')}`);
      const problem = spec.check?.(s);
      if (problem) throw coreErrors.VALIDATION_FAILED(`${label} ${problem}`);
      return s;
    }
    case 'number': {
      const n = typeof value === 'number' ? value : Number(String(value).trim());
      if (!Number.isFinite(n)) throw coreErrors.VALIDATION_FAILED(`${label} must be a number, got "${String(value)}"`);
      if (spec.integer && !Number.isInteger(n)) throw coreErrors.VALIDATION_FAILED(`${label} must be a whole number`);
      if (spec.min !== undefined && n < spec.min) throw coreErrors.VALIDATION_FAILED(`${label} must be at least ${spec.min}`);
      if (spec.max !== undefined && n > spec.max) throw coreErrors.VALIDATION_FAILED(`${label} must be at most ${spec.max}`);
      return n;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (['1', 'true', 'on', 'yes'].includes(String(value))) return true;
      if (['0', 'false', 'off', 'no'].includes(String(value))) return false;
      throw coreErrors.VALIDATION_FAILED(`${label} must be true or false`);
  }
}

/** The schema as plain JSON, for the page builder's form. */
export function describeParams(schema: ParamSchema): { name: string; spec: ParamSpec }[] {
  return Object.entries(schema).map(([name, spec]) => ({ name, spec }));
}
