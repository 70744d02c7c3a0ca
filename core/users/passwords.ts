import { randomBytes } from 'node:crypto';
import { Algorithm, hash, verify } from '@node-rs/argon2';
import { userErrors } from './errors.js';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;

/** OWASP-recommended argon2id parameters (19 MiB, 2 passes, 1 lane). */
const ARGON2_OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

/** False for a wrong password and for a malformed hash (never throws on bad input). */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Spends the same time as a real check, so unknown logins cannot be told apart by timing. */
export async function dummyVerify(password: string): Promise<void> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(await dummyHash, password);
}

/** The rule every new password follows, as users read it (main's PASSWORD_RULE_HINT says the same). */
export const PASSWORD_RULE = `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters, not only spaces, no control characters (tabs, line breaks and the like), not the same as the login`;

export type PasswordRuleBreach = 'type' | 'unicode' | 'control' | 'length' | 'whitespace' | 'login';

const CONTROL = /\p{Cc}/u;
/** In `u` mode a surrogate matches only when unpaired (a broken string). */
const LONE_SURROGATE = /\p{Cs}/u;
const ONLY_WHITESPACE = /^\s*$/u;

/** Which part of the rule the password breaks, or null when it keeps it. Length counts characters (code points). */
export function passwordRuleBreach(password: unknown, login?: string): PasswordRuleBreach | null {
  if (typeof password !== 'string') return 'type';
  if (LONE_SURROGATE.test(password)) return 'unicode';
  if (CONTROL.test(password)) return 'control';
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) return 'length';
  if (ONLY_WHITESPACE.test(password)) return 'whitespace';
  if (login && password.trim().toLowerCase() === login.trim().toLowerCase()) return 'login';
  return null;
}

/**
 * The one password policy, for every place a password is set (install, CLI, admin form,
 * profile, API): throws PASSWORD_WEAK (400) stating the whole rule, with the broken part
 * in `details.reason`.
 */
export function checkPasswordPolicy(password: unknown, login?: string): void {
  const reason = passwordRuleBreach(password, login);
  if (reason) {
    throw userErrors.PASSWORD_WEAK(`The password does not meet the rule: ${PASSWORD_RULE}`, { reason, min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH });
  }
}
