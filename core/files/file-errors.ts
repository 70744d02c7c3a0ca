import { defineErrors } from '../errors/portal-error.js';

/** Errors of file storage and uploads. */
export const fileErrors = defineErrors({
  FILE_TOO_LARGE: { status: 413, message: (m) => m || 'The file is too large' },
  FILE_NOT_FOUND: { status: 404, message: (id) => (id ? `File ${id} does not exist` : 'The file does not exist') },
  FILE_INPUT_INVALID: { status: 400, message: (m) => m },
  FILE_PATH_INVALID: { status: 500, message: (m) => m },
});

const SIZE_UNITS = { en: ['bytes', 'KB', 'MB'], ru: ['байт', 'КБ', 'МБ'] } as const;

/** "20 MB" style size for messages, in English or Russian ("1,5 МБ"). */
export function formatBytes(n: number, language = 'en'): string {
  const lang = language === 'ru' ? 'ru' : 'en';
  const [bytes, kb, mb] = SIZE_UNITS[lang];
  const num = (v: number) => (lang === 'ru' ? String(+v.toFixed(1)).replace('.', ',') : String(+v.toFixed(1)));
  if (n >= 1024 * 1024) return `${num(n / (1024 * 1024))} ${mb}`;
  if (n >= 1024) return `${num(n / 1024)} ${kb}`;
  return `${n} ${bytes}`;
}

export function tooLarge(maxBytes: number) {
  return fileErrors.FILE_TOO_LARGE(`The file is larger than the limit of ${formatBytes(maxBytes)} (${maxBytes} bytes)`, { maxBytes });
}
