import type { Kernel } from '../kernel.js';
import { operationTitle } from '../rights/operation-title.js';
import { errorParams } from '../i18n/error-text.js';

export interface ShownError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * What an error page tells a person, in their language: the right they lack by its title (from the
 * module's rights definition); else the error's own message when it is in that language (English, or
 * Russian a module already translated); else a parameter's problem in the language, the main module's
 * message for the code (`ERR_<CODE>`) or which parameter was wrong; null when there is nothing to say
 * in that language beyond the page's generic text.
 */
export function errorText(kernel: Kernel, error: ShownError, language: string): string | null {
  const lang = language === 'ru' ? 'ru' : 'en';
  const t = (key: string, params?: Record<string, string>) => kernel.i18n.t('main', key, lang, params);
  const operation = error.details?.operation;
  if (typeof operation === 'string') {
    const title = operationTitle(kernel.rights, operation, lang);
    if (title) return t('FORBIDDEN_RIGHT', { RIGHT: title });
  }
  // Messages are written in English; a module that already worded one in Russian (Cyrillic) is believed.
  if (error.message && (lang === 'en' || /[а-яё]/i.test(error.message))) return error.message;
  const problem = error.details?.problem as Partial<Record<'en' | 'ru', unknown>> | undefined;
  const param = typeof error.details?.param === 'string' ? error.details.param : null;
  if (problem && typeof problem[lang] === 'string') return param ? t('ERR_PARAM', { PARAM: param, PROBLEM: problem[lang] as string }) : (problem[lang] as string);
  if (kernel.i18n.has('main', `ERR_${error.code}`)) return t(`ERR_${error.code}`, errorParams(error.details, lang));
  return param ? t('ERR_PARAM_INVALID', { PARAM: param }) : null;
}
