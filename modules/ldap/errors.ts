import { defineErrors } from '../../core/errors/portal-error.js';

/** Coded errors of the LDAP module. Messages never carry a bind password. */
export const ldapErrors = defineErrors({
  /** Built with `configInvalid` so the admin can word it in the page's language. */
  LDAP_CONFIG_INVALID: { status: 400, message: (m) => m },
  LDAP_SERVER_NOT_FOUND: { status: 404, message: (id) => `LDAP server ${id} does not exist` },
  LDAP_SERVER_CODE_TAKEN: { status: 409, message: (code) => `LDAP server code "${code}" is already used` },
  LDAP_GROUP_MAP_NOT_FOUND: { status: 404, message: (id) => `Group mapping ${id} does not exist` },
  /** The directory could not be reached or answered with an error; nothing was changed. */
  LDAP_UNAVAILABLE: { status: 503, message: (m) => m || 'The directory server cannot be reached' },
  /** A search failed, was cut short or came back inconsistent; the sync changed nobody. */
  LDAP_SYNC_ABORTED: { status: 502, message: (m) => m },
  LDAP_SYNC_RUNNING: { status: 409, message: () => 'A sync of this server is already running' },
  LDAP_PASSWORD_EMPTY: { status: 400, message: () => 'An empty password is never sent to the directory' },
});

/**
 * LDAP_CONFIG_INVALID in English, with `{ field, problem, ...params }` in its details so the
 * admin words it in the page's language (`LDAP_PROBLEM_<PROBLEM>` in the module's lang files).
 */
export function configInvalid(message: string, field: string, problem: string, params: Record<string, string | number> = {}) {
  return ldapErrors.LDAP_CONFIG_INVALID(message, { field, problem, ...params });
}
