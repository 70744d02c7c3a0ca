import type { PortalError } from '../errors/portal-error.js';
import { waitInWords } from './durations.js';
import type { Translator } from './translator.js';

/**
 * The message of a coded error in a language: main's `ERR_<CODE>` text when it has one,
 * filled from the error's details (`min` → #MIN#; `retryAfterSeconds` → #WAIT# in words),
 * else the error's own (English) message.
 */
export function errorText(i18n: Translator, err: PortalError, language: string): string {
  const key = `ERR_${err.code}`;
  if (!i18n.has('main', key)) return err.message;
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(err.details ?? {})) {
    if (typeof value === 'string' || typeof value === 'number') params[name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()] = value;
  }
  const wait = err.details?.retryAfterSeconds;
  if (typeof wait === 'number') params.WAIT = waitInWords(wait, language);
  return i18n.t('main', key, language, params);
}
