import { errorParams, localizedMessage } from '../../../core/i18n/error-text.js';
import type { Translator } from '../../../core/i18n/translator.js';
import type { PortalError } from '../../../core/errors/portal-error.js';
import type { SyncRun } from '../server-types.js';
import { ATTRIBUTE_FIELDS } from './form.js';

/** The form label (lang key) of each field an LDAP_CONFIG_INVALID names. */
const FIELD_LABELS = new Map<string, string>([
  ['code', 'LDAP_CODE'], ['name', 'LDAP_NAME'], ['active', 'LDAP_ACTIVE'], ['sort', 'LDAP_SORT'], ['url', 'LDAP_URL'], ['startTls', 'LDAP_START_TLS'],
  ['caCert', 'LDAP_CA_CERT'], ['bindDn', 'LDAP_BIND_DN'], ['bindPassword', 'LDAP_BIND_PASSWORD'], ['baseDn', 'LDAP_BASE_DN'], ['userFilter', 'LDAP_USER_FILTER'],
  ['groupBaseDn', 'LDAP_GROUP_BASE_DN'], ['groupFilter', 'LDAP_GROUP_FILTER'], ['memberAttribute', 'LDAP_MEMBER_ATTRIBUTE'], ['preset', 'LDAP_PRESET'],
  ['nested', 'LDAP_NESTED'], ['nestedDepth', 'LDAP_NESTED_DEPTH'], ['pageSize', 'LDAP_PAGE_SIZE'], ['timeoutMs', 'LDAP_TIMEOUT'], ['createOnLogin', 'LDAP_CREATE_ON_LOGIN'],
  ['outagePolicy', 'LDAP_OUTAGE_POLICY'], ['outageDays', 'LDAP_OUTAGE_DAYS'], ['departments', 'LDAP_DEPARTMENTS'], ['syncMinutes', 'LDAP_SYNC_MINUTES'],
  ['attributes', 'LDAP_ATTRIBUTES'], ['attributes.disabledMode', 'LDAP_ATTR_DISABLED_MODE'], ['ldapGroup', 'LDAP_GROUP_DN'], ['groupId', 'LDAP_PORTAL_GROUP'],
  ...ATTRIBUTE_FIELDS.map(([k, label]): [string, string] => [`attributes.${k}`, label]),
]);

const upperSnake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

/** The label of a field as the form shows it (`attributes.login[2]` is the login attributes' field). */
function fieldLabel(i18n: Translator, field: string, language: string): string {
  const key = FIELD_LABELS.get(field.replace(/\[\d+\]$/, ''));
  return key ? i18n.t('ldap', key, language) : field;
}

/**
 * The directory's answer inside a sentence: as the server wrote it, or, for a refused bind
 * (result code 49, which servers often send without a text), said in the language.
 */
export function directoryCause(i18n: Translator, cause: string, resultCode: unknown, language: string): string {
  return resultCode === 49 ? i18n.t('ldap', 'LDAP_BIND_REFUSED', language, { CAUSE: cause }) : cause;
}

/**
 * An LDAP error as the admin shows it: in English its own message; in Russian the problem of a
 * refused setting (`LDAP_PROBLEM_<PROBLEM>` naming the field by its label), the reason of an
 * aborted sync (`LDAP_ABORT_<REASON>`), else the module's `ERR_<CODE>` text. A directory's own
 * text (`cause`) stays as the server wrote it inside the sentence.
 */
export function ldapErrorText(i18n: Translator, err: PortalError, language: string): string {
  if (language !== 'ru') return err.message;
  const details = err.details ?? {};
  const params = errorParams(details, language);
  if (typeof details.cause === 'string') params.CAUSE = directoryCause(i18n, details.cause, details.resultCode, language);
  const own = (prefix: string, name: unknown, extra: Record<string, string> = {}) => {
    const key = typeof name === 'string' ? `${prefix}${upperSnake(name)}` : '';
    return key && i18n.has('ldap', key) ? i18n.t('ldap', key, language, { ...params, ...extra }) : null;
  };
  if (err.code === 'LDAP_CONFIG_INVALID') {
    const field = typeof details.field === 'string' ? details.field : '';
    const text = own('LDAP_PROBLEM_', details.problem, { FIELD: fieldLabel(i18n, field, language) });
    if (text) return text;
  }
  if (err.code === 'LDAP_SYNC_ABORTED') {
    const text = abortText(i18n, details, language);
    if (text) return text;
  }
  const text = localizedMessage(i18n, err, language, 'ldap');
  // Another module's error without a Russian text: a Russian sentence rather than English.
  return text === err.message && !/[а-яё]/i.test(text) ? i18n.t('ldap', 'LDAP_FORM_REFUSED', language) : text;
}

/** Why a sync was aborted (`LDAP_ABORT_<REASON>`), or null for a reason without a text. */
function abortText(i18n: Translator, details: Record<string, unknown>, language: string): string | null {
  const key = typeof details.reason === 'string' ? `LDAP_ABORT_${upperSnake(details.reason)}` : '';
  if (!key || !i18n.has('ldap', key)) return null;
  const params = errorParams(details, language);
  if (typeof details.cause === 'string') params.CAUSE = directoryCause(i18n, details.cause, details.resultCode, language);
  return i18n.t('ldap', key, language, params);
}

/** A run's message in the sync log: in Russian from its stored detail, else the English line as stored. */
export function runMessageText(i18n: Translator, run: Pick<SyncRun, 'message' | 'messageDetail'>, language: string): string {
  const detail = run.messageDetail;
  if (language !== 'ru' || !detail) return run.message ?? '';
  if (detail.reason === 'skipped') return i18n.t('ldap', 'LDAP_RUN_SKIPPED', language, { COUNT: detail.count ?? '' });
  if (detail.reason === 'failed') return i18n.t('ldap', 'LDAP_RUN_FAILED', language, { CAUSE: String(detail.cause ?? '') });
  const text = abortText(i18n, detail, language);
  return text ? i18n.t('ldap', 'LDAP_SYNC_FAILED', language, { MESSAGE: text }) : (run.message ?? '');
}
