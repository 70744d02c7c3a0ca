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

/** Throws PASSWORD_WEAK (400) when the password breaks the policy. */
export function checkPasswordPolicy(password: unknown, login?: string): void {
  if (typeof password !== 'string') throw userErrors.PASSWORD_WEAK('The password must be a string');
  if (password.length < PASSWORD_MIN_LENGTH) {
    throw userErrors.PASSWORD_WEAK(`The password must be at least ${PASSWORD_MIN_LENGTH} characters long`);
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    throw userErrors.PASSWORD_WEAK(`The password must be at most ${PASSWORD_MAX_LENGTH} characters long`);
  }
  if (login && password.trim().toLowerCase() === login.trim().toLowerCase()) {
    throw userErrors.PASSWORD_WEAK('The password must not be the same as the login');
  }
}
