import { describeParams, validateParams, type ParamSpec } from '../../../../core/components/params.js';
import type { AnyComponent } from '../../../../core/components/types.js';

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
  /** Limits in words, e.g. "1–10, whole number". */
  hint: string;
  /** The default value (for a select: its label). */
  placeholder: string;
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
      hint: hintOf(spec, language),
      placeholder: optionLabel(def),
    };
  });
}

function controlOf(spec: ParamSpec): ParamField['control'] {
  if (spec.type === 'boolean') return 'checkbox';
  if (spec.type === 'number') return 'number';
  return spec.options ? 'select' : 'text';
}

const WHOLE_NUMBER = { en: 'whole number', ru: 'целое число' } as const;

function hintOf(spec: ParamSpec, language: string): string {
  if (spec.type === 'number') {
    const range = spec.min !== undefined && spec.max !== undefined ? `${spec.min}–${spec.max}` : spec.min !== undefined ? `≥ ${spec.min}` : spec.max !== undefined ? `≤ ${spec.max}` : '';
    return [range, spec.integer ? WHOLE_NUMBER[language === 'ru' ? 'ru' : 'en'] : ''].filter(Boolean).join(', ');
  }
  if (spec.type === 'string' && spec.maxLength) return `≤ ${spec.maxLength}`;
  return '';
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
