/**
 * The suites that touch dates: the only ones the harness runs again in the second time zone (the whole suite
 * runs in UTC). `test/harness-date-suites.test.ts` fails when a test file that handles dates is missing here.
 */
export const DATE_SUITES: readonly string[] = [
  'admin/agents',
  'admin/options-take-effect',
  'admin/time-zone',
  'admin/user-hr',
  'backup/scheduled',
  'browser/infoblocks-admin',
  'browser/workflow',
  'cloudimport/import',
  'cloudimport/readers',
  'core/agents',
  'core/cache',
  'core/time',
  'docs/notes-example',
  'files/files',
  'forum/forum-digest',
  'http/http',
  'infoblocks/admin-element-form',
  'infoblocks/admin-structure',
  'infoblocks/cached-types',
  'infoblocks/components-demo',
  'infoblocks/components-detail',
  'infoblocks/components',
  'infoblocks/element-by-code',
  'infoblocks/exchange-csv',
  'infoblocks/exchange-xml',
  'infoblocks/filter-grammar',
  'infoblocks/model',
  'infoblocks/rest-security',
  'infoblocks/rights-events',
  'intranet/colleague-privacy',
  'intranet/dashboard',
  'intranet/directory-yo',
  'intranet/profile',
  'intranet/theme',
  'intranet/user-profile-data',
  'outages/memcached-outage',
  'pages/components-ext',
  'users/login-guard',
  'users/tokens',
  'users/two-nodes',
  'users/users',
  'workflow/escalation',
];

/** What in a test file's source says it handles dates (and so must run in the second zone too). */
export const HANDLES_DATES = /new Date|Date\.parse|toISOString|birthday|activeFrom|ACTIVE_FROM|ACTIVE_DATE|timeZone|cron|datetime|'date'|lastLoginAt|createdAt/;

/** The compiled spec files of the date suites. */
export const dateSuiteSpecs = (): string[] => DATE_SUITES.map((name) => `dist/test/${name}.test.js`);
