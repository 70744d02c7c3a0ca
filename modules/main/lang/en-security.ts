/** Sign-in, passwords and CSRF: hints and the texts of the kernel's coded errors (`ERR_<CODE>`, see core/i18n/error-text.ts). */
const messages: Record<string, string> = {
  PASSWORD_RULE_HINT: '#MIN# to #MAX# characters, not only spaces, no control characters (tabs, line breaks and the like), not the same as the login.',
  ERR_PASSWORD_WEAK: 'The password does not meet the rule: #MIN# to #MAX# characters, not only spaces, no control characters (tabs, line breaks and the like), not the same as the login',
  ERR_LOGIN_THROTTLED: 'Too many failed sign-in attempts. Try again in #WAIT#.',
  ERR_USER_LOCKED: 'Sign-in with this login is paused after many failed attempts from different places. Try again in #WAIT#; a device that signed in here before can sign in now.',
  ERR_CURRENT_PASSWORD_WRONG: 'The current password is wrong',
  ERR_PASSWORD_MISMATCH: 'The new password and its confirmation differ',
  ERR_LOGIN_UNAVAILABLE: 'The directory that checks this password cannot be reached; try again later',
};
export default messages;
