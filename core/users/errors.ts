import { defineErrors } from '../errors/portal-error.js';

/** Errors of users, groups, tokens and rights. */
export const userErrors = defineErrors({
  USER_NOT_FOUND: { status: 404, message: (id) => (id ? `User ${id} does not exist` : 'User not found') },
  USER_LOGIN_INVALID: { status: 400, message: (m) => m || 'Login must be 3–50 characters: latin letters, digits and . _ @ -' },
  USER_EMAIL_INVALID: { status: 400, message: (m) => m || 'E-mail address is not valid' },
  USER_FIELD_INVALID: { status: 400, message: (m) => m || 'A user field is not valid' },
  USER_LOGIN_TAKEN: { status: 409, message: (login) => `Login "${login}" is already taken` },
  USER_LAST_ADMIN: { status: 409, message: () => 'This would leave the portal without an active administrator' },
  PASSWORD_WEAK: { status: 400, message: (m) => m || 'The password is too weak' },
  LOGIN_FAILED: { status: 401, message: () => 'Wrong login or password' },
  USER_LOCKED: { status: 423, message: (until) => `Too many failed sign-in attempts; the account is locked until ${until}` },
  USER_BLOCKED: { status: 403, message: () => 'This account is blocked; contact the administrator' },
  DEPARTMENT_NOT_FOUND: { status: 404, message: (id) => (id ? `Department ${id} does not exist` : 'Department not found') },
  DEPARTMENT_NAME_INVALID: { status: 400, message: () => 'Department name must be 1–255 characters' },
  GROUP_NOT_FOUND: { status: 404, message: (id) => (id ? `Group ${id} does not exist` : 'Group not found') },
  GROUP_CODE_INVALID: { status: 400, message: (code) => `Group code "${code}" must be 2–50 characters: a-z, 0-9 and _` },
  GROUP_NAME_INVALID: { status: 400, message: () => 'Group name must be 1–255 characters' },
  GROUP_CODE_TAKEN: { status: 409, message: (code) => `Group code "${code}" is already taken` },
  GROUP_SYSTEM: { status: 409, message: (code) => `Group "${code}" is a system group and cannot be deleted` },
  TOKEN_NOT_FOUND: { status: 404, message: (id) => (id ? `API token ${id} does not exist` : 'API token not found') },
  TOKEN_INVALID: { status: 400, message: (m) => m || 'API token parameters are not valid' },
  RIGHTS_LEVEL_UNKNOWN: { status: 400, message: (m) => m },
  RIGHTS_MODULE_UNKNOWN: { status: 404, message: (id) => `Module "${id}" declares no rights` },
  RIGHTS_DEFINITION_INVALID: { status: 500, message: (m) => m },
});
