import { defineErrors } from '../../core/errors/portal-error.js';

/** The exit code of every error line, NOT_RUNNING included (`portal status --json` uses it too). */
export const NOT_RUNNING_EXIT = 1;

/** Errors only the CLI raises. */
export const cliErrors = defineErrors({
  NOT_INSTALLED: { status: 409, message: () => 'the portal is not installed here; run `portal install`' },
  INPUT_INVALID: { status: 400, message: (m) => m },
  CONFIRMATION_REQUIRED: { status: 400, message: (m) => m },
  SHARED_CACHE_REQUIRED: { status: 400, message: (m) => m },
  NOT_RUNNING: { status: 409, message: (m) => m || 'the portal is not running under pm2; start it with `portal start --daemon`' },
  PM2_FAILED: { status: 500, message: (m) => m },
  PORT_IN_USE: { status: 409, message: (m) => m },
  LISTEN_FAILED: { status: 500, message: (m) => m },
  SCAFFOLD_INVALID: { status: 400, message: (m) => m },
  SCAFFOLD_EXISTS: { status: 409, message: (m) => m },
});
