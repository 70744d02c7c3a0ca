import type { Localized } from '../i18n/types.js';

/**
 * What is wrong with a parameter value, in both languages. The parameter's name (or title) goes before it:
 * `Parameter "pageSize" must be at least 1` / `Параметр «pageSize»: не меньше 1`.
 */
export const paramProblems = {
  text: () => ({ en: 'must be text', ru: 'должен быть текстом' }),
  required: () => ({ en: 'is required', ru: 'обязателен' }),
  maxLength: (n: number) => ({ en: `must be at most ${n} characters`, ru: `не длиннее ${n} ${plural(n, 'символа', 'символов', 'символов')}` }),
  options: (list: readonly string[]) => ({ en: `must be one of ${list.join(', ')}`, ru: `одно из значений: ${list.join(', ')}` }),
  number: (v: string) => ({ en: `must be a number, got "${v}"`, ru: `должен быть числом, а не «${v}»` }),
  integer: () => ({ en: 'must be a whole number', ru: 'должен быть целым числом' }),
  min: (n: number) => ({ en: `must be at least ${n}`, ru: `не меньше ${n}` }),
  max: (n: number) => ({ en: `must be at most ${n}`, ru: `не больше ${n}` }),
  boolean: () => ({ en: 'must be true or false', ru: 'должен быть «да» или «нет»' }),
  unknown: () => ({ en: 'is not a parameter of this component', ru: 'у компонента нет такого параметра' }),
} satisfies Record<string, (...args: never[]) => Localized>;

/** Hints shown under a field before anything goes wrong. */
export const paramHints = {
  required: { en: 'required', ru: 'обязательно' },
  maxLength: (n: number) => ({ en: `up to ${n} characters`, ru: `до ${n} ${plural(n, 'символа', 'символов', 'символов')}` }),
  range: (min: number, max: number) => ({ en: `from ${min} to ${max}`, ru: `от ${min} до ${max}` }),
  min: (n: number) => ({ en: `at least ${n}`, ru: `не меньше ${n}` }),
  max: (n: number) => ({ en: `at most ${n}`, ru: `не больше ${n}` }),
  integer: { en: 'a whole number', ru: 'целое число' },
} as const;

/** Russian plural form for a count: 1 символ, 2 символа, 5 символов (the forms given: one, few, many). */
export function plural(n: number, one: string, few: string, many: string): string {
  const m10 = n % 10;
  const m100 = n % 100;
  if (m10 === 1 && m100 !== 11) return one;
  if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return few;
  return many;
}

/** Problems of a reference whose owning module cannot answer. */
export const referenceProblems = {
  moduleMissing: (module: string) => ({ en: `refers to module "${module}", which is not installed`, ru: `ссылается на модуль «${module}», который не установлен` }),
  unchecked: (module: string, kind: string) => ({ en: `refers to "${kind}" of module "${module}", which that module cannot check`, ru: `ссылается на «${kind}» модуля «${module}», а модуль не умеет это проверить` }),
} as const;
