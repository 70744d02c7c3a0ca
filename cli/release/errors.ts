import { defineErrors } from '../../core/errors/portal-error.js';

/** Errors of `portal release` and `portal upgrade`. */
export const releaseErrors = defineErrors({
  RELEASE_INVALID: { status: 400, message: (m) => m },
  RELEASE_BUILD_FAILED: { status: 500, message: (m) => m },
  NOT_A_RELEASE_INSTALL: { status: 409, message: (m) => m },
  UPGRADE_REFUSED: { status: 409, message: (m) => m },
  UPGRADE_RUNNING: { status: 409, message: (m) => m },
  UPGRADE_FAILED: { status: 500, message: (m) => m },
  ROLLBACK_FAILED: { status: 500, message: (m) => m },
});
