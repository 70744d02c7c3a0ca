import { defineErrors } from '../errors/portal-error.js';

/** Errors of file storage and uploads. */
export const fileErrors = defineErrors({
  FILE_TOO_LARGE: { status: 413, message: (m) => m || 'The file is too large' },
  FILE_NOT_FOUND: { status: 404, message: (id) => (id ? `File ${id} does not exist` : 'The file does not exist') },
  FILE_INPUT_INVALID: { status: 400, message: (m) => m },
  FILE_PATH_INVALID: { status: 500, message: (m) => m },
});

/** "20 MB" style size for messages. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}

export function tooLarge(maxBytes: number) {
  return fileErrors.FILE_TOO_LARGE(`The file is larger than the limit of ${formatBytes(maxBytes)} (${maxBytes} bytes)`, { maxBytes });
}
