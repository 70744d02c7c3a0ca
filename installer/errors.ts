import { defineErrors } from '../core/errors/portal-error.js';

/** Errors of the installer and the doctor. */
export const installErrors = defineErrors({
  INSTALL_CHECKS_FAILED: { status: 500, message: (m) => m },
  DB_CREATE_FAILED: { status: 500, message: (m) => m },
  DB_UNREACHABLE: { status: 500, message: (m) => m },
});
