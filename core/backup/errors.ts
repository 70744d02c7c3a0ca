import { defineErrors } from '../errors/portal-error.js';

/** Errors of backups, restores and upgrades; each is one readable line in the CLI. */
export const backupErrors = defineErrors({
  BACKUP_FAILED: { status: 500, message: (m) => m },
  BACKUP_NO_SPACE: { status: 507, message: (m) => m },
  BACKUP_TOOL_MISSING: { status: 500, message: (m) => m },
  ARCHIVE_NOT_FOUND: { status: 404, message: (m) => `no backup archive at ${m}` },
  ARCHIVE_INVALID: { status: 400, message: (m) => m },
  ARCHIVE_CHECKSUM_MISMATCH: { status: 400, message: (m) => m },
  ARCHIVE_OTHER_PORTAL: { status: 409, message: (m) => m },
  RESTORE_RELEASE_OLDER: { status: 409, message: (m) => m },
  RESTORE_TARGET_INSTALLED: { status: 409, message: (m) => m },
  RESTORE_CHECK_FAILED: { status: 500, message: (m) => m },
  RESTORE_INCOMPLETE: { status: 409, message: (m) => m },
  RESTORE_NO_SPACE: { status: 507, message: (m) => m },
  RESTORE_FAILED: { status: 500, message: (m) => m },
  VERIFY_SCRATCH_DB_REQUIRED: { status: 400, message: (m) => m },
});
