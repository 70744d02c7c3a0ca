/** Sign-in, passwords and CSRF: hints and the texts of the kernel's coded errors (`ERR_<CODE>`, see core/i18n/error-text.ts). */
const messages: Record<string, string> = {
  PASSWORD_RULE_HINT: '#MIN# to #MAX# characters, not only spaces, no control characters (tabs, line breaks and the like), not the same as the login.',
  ERR_PASSWORD_WEAK: 'The password does not meet the rule: #MIN# to #MAX# characters, not only spaces, no control characters (tabs, line breaks and the like), not the same as the login',
};
export default messages;
