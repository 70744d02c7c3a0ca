import { describeParams, validateParams, type ParamSpec } from '../../../../core/components/params.js';
import type { AnyComponent } from '../../../../core/components/types.js';
import type { Localized } from '../../../../core/modules/types.js';
import { paramHints } from '../../../../core/components/param-messages.js';

/** One input of a generated parameter form. */
export interface ParamField {
  name: string;
  /** Form field name: `p_<param>`. */
  field: string;
  label: string;
  control: 'text' | 'number' | 'select' | 'checkbox';
  value: string;
  checked: boolean;
  /** Choices of a select: the code and how the language names it. */
  options: { value: string; label: string }[];
  /** Limits and allowed characters in words, shown under the field before anything goes wrong. */
  hint: string;
  /** The default value (for a select: its label). */
  placeholder: string;
  required: boolean;
  maxLength: number | null;
  /** What is wrong with the submitted value (set by the builder for the field of a refused form). */
  error: string | null;
}

/** Builds form fields from a component's parameter schema and the placement's values. */
export function paramFields(def: AnyComponent, values: Record<string, unknown>, language: string): ParamField[] {
  return describeParams(def.params).map(({ name, spec }) => {
    const raw = values[name];
    const value = raw === undefined || raw === null ? '' : String(raw);
    const label = spec.title ? (language === 'ru' ? spec.title.ru : spec.title.en) : name;
    const def = spec.default === undefined ? '' : String(spec.default);
    const optionLabel = (v: string) => (spec.type === 'string' && spec.optionTitles && Object.hasOwn(spec.optionTitles, v) ? spec.optionTitles[v]![language === 'ru' ? 'ru' : 'en'] : v);
    return {
      name,
      field: `p_${name}`,
      label,
      control: controlOf(spec),
      value,
      checked: spec.type === 'boolean' ? (raw === undefined ? spec.default === true : raw === true || raw === 'true' || raw === '1') : false,
      options: spec.type === 'string' && spec.options ? spec.options.map((v) => ({ value: v, label: optionLabel(v) })) : [],
      hint: hintOf(spec, language === 'ru' ? 'ru' : 'en'),
      placeholder: optionLabel(def),
      required: spec.type === 'string' && spec.required === true,
      maxLength: spec.type === 'string' && spec.maxLength !== undefined ? spec.maxLength : null,
      error: null,
    };
  });
}

function controlOf(spec: ParamSpec): ParamField['control'] {
  if (spec.type === 'boolean') return 'checkbox';
  if (spec.type === 'number') return 'number';
  return spec.options ? 'select' : 'text';
}

/** "required; up to 50 characters; latin letters, digits and _" / "a whole number, from 1 to 100". */
function hintOf(spec: ParamSpec, lang: 'en' | 'ru'): string {
  const parts: string[] = [];
  if (spec.type === 'number') {
    if (spec.integer) parts.push(paramHints.integer[lang]);
    if (spec.min !== undefined && spec.max !== undefined) parts.push(paramHints.range(spec.min, spec.max)[lang]);
    else if (spec.min !== undefined) parts.push(paramHints.min(spec.min)[lang]);
    else if (spec.max !== undefined) parts.push(paramHints.max(spec.max)[lang]);
  }
  if (spec.type === 'string') {
    if (spec.required) parts.push(paramHints.required[lang]);
    if (spec.maxLength && !spec.options) parts.push(paramHints.maxLength(spec.maxLength)[lang]);
  }
  if (spec.hint) parts.push(spec.hint[lang]);
  const text = parts.join('; ');
  return text ? text[0]!.toUpperCase() + text.slice(1) : '';
}

/** The raw values a form sent for the schema (empty fields left out, so defaults apply). */
export function readParamForm(def: AnyComponent, read: (name: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { name, spec } of describeParams(def.params)) {
    const v = read(`p_${name}`);
    if (spec.type === 'boolean') out[name] = v === '1' ? 'true' : 'false';
    else if (v.trim() !== '') out[name] = v.trim();
  }
  return out;
}

/** Validated values of the fields that were filled in (throws VALIDATION_FAILED naming the parameter). */
export function paramsFromForm(def: AnyComponent, raw: Record<string, string>): Record<string, unknown> {
  const all = validateParams(def.name, def.params, raw) as Record<string, unknown>;
  return Object.fromEntries(Object.keys(raw).map((k) => [k, all[k]]));
}

/**
 * The problem of a refused placement in the editor's language, when the error carries one
 * (`details.problem`, with `details.param` for a parameter's): "Infoblock (code or id): there is no infoblock "x"".
 */
export function paramProblemText(def: AnyComponent, err: { details?: Record<string, unknown> }, language: string): { text: string; param: string | null } | null {
  const problem = err.details?.problem as Partial<Localized> | undefined;
  const text = problem && (language === 'ru' ? problem.ru : problem.en);
  if (typeof text !== 'string') return null;
  const param = typeof err.details?.param === 'string' && Object.hasOwn(def.params, err.details.param) ? err.details.param : null;
  if (!param) return { text, param: null };
  const title = def.params[param]!.title;
  return { text: `${title ? (language === 'ru' ? title.ru : title.en) : param}: ${text}`, param };
}
