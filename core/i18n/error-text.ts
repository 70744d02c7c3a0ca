import type { PortalError } from '../errors/portal-error.js';
import { waitInWords } from './durations.js';
import type { Translator } from './translator.js';

/**
 * #PARAMS# for main's `ERR_<CODE>` texts from an error's details: scalar details by name
 * (`min` → #MIN#, `retryAfterSeconds` → #RETRY_AFTER_SECONDS#) and #WAIT#, the wait in words.
 */
export function errorParams(details: Record<string, unknown> | undefined, language: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(details ?? {})) {
    if (typeof value === 'string' || typeof value === 'number') params[name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()] = String(value);
  }
  const wait = details?.retryAfterSeconds;
  if (typeof wait === 'number') params.WAIT = waitInWords(wait, language);
  return params;
}

/**
 * A coded error's message for someone reading `language` (forms that show it themselves):
 * the error's own in English or when a module already wrote it in Russian; otherwise the
 * `ERR_<CODE>` text of the module that owns the error (`moduleId`, when the caller knows it)
 * or of main, filled from its details, when there is one; else the error's own.
 */
export function localizedMessage(i18n: Translator, err: PortalError, language: string, moduleId?: string): string {
  const key = `ERR_${err.code}`;
  if (language !== 'ru' || /[а-яё]/i.test(err.message)) return err.message;
  const owner = moduleId && i18n.has(moduleId, key) ? moduleId : i18n.has('main', key) ? 'main' : null;
  return owner ? i18n.t(owner, key, language, errorParams(err.details, language)) : err.message;
}
