import { defineErrors } from '../../../../core/errors/portal-error.js';

/** Why `portal db move` refused or stopped; each leaves the portal where it was. */
export const moveErrors = defineErrors({
  SOURCE_NOT_SQLITE: { status: 409, message: (m) => m },
  TARGET_INVALID: { status: 400, message: (m) => m },
  TARGET_UNREACHABLE: { status: 503, message: (m) => m },
  TARGET_NOT_MARIADB: { status: 400, message: (m) => m },
  TARGET_NOT_EMPTY: { status: 409, message: (m) => m },
  SCHEMA_MISMATCH: { status: 409, message: (m) => m },
  MOVE_IN_PROGRESS: { status: 409, message: (m) => m },
  VERIFY_FAILED: { status: 500, message: (m) => m },
});
