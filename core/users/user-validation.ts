import type { UserInput } from '../services.js';
import { userErrors } from './errors.js';
import { checkPasswordPolicy } from './passwords.js';

/** Fields a user update may change (login and password have their own paths). */
export type UserPatch = Partial<Omit<UserInput, 'password' | 'login'>>;

export const LOGIN_PATTERN = /^[A-Za-z0-9._@-]{3,50}$/;
const EMAIL_PATTERN = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

export function validateLogin(login: unknown): string {
  if (typeof login !== 'string' || !LOGIN_PATTERN.test(login)) throw userErrors.USER_LOGIN_INVALID('', { field: 'login' });
  return login;
}

export function validateEmail(email: unknown): string {
  if (typeof email !== 'string' || email.length > 255 || !EMAIL_PATTERN.test(email)) {
    throw userErrors.USER_EMAIL_INVALID(`E-mail address "${String(email).slice(0, 100)}" is not valid`, { field: 'email' });
  }
  return email;
}

function text(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string') throw userErrors.USER_FIELD_INVALID(`${field} must be a string`, { field });
  const v = value.trim();
  if (v.length > max) throw userErrors.USER_FIELD_INVALID(`${field} must be at most ${max} characters`, { field });
  return v;
}

function nullableText(value: unknown, field: string, max: number): string | null {
  if (value === null || value === '') return null;
  return text(value, field, max);
}

function groupIds(value: unknown): number[] {
  if (!Array.isArray(value) || !value.every((v) => Number.isSafeInteger(v) && v > 0)) {
    throw userErrors.USER_FIELD_INVALID('groupIds must be a list of group ids', { field: 'groupIds' });
  }
  return [...new Set(value as number[])];
}

/** Validates and normalizes the fields of a patch (absent fields stay absent). */
export function normalizePatch(patch: UserPatch): UserPatch {
  if (!patch || typeof patch !== 'object') throw userErrors.USER_FIELD_INVALID('The user data must be an object');
  const out: UserPatch = {};
  if (patch.email !== undefined) out.email = validateEmail(typeof patch.email === 'string' ? patch.email.trim() : patch.email);
  if (patch.name !== undefined) out.name = text(patch.name, 'name', 100);
  if (patch.lastName !== undefined) out.lastName = text(patch.lastName, 'lastName', 100);
  if (patch.active !== undefined) {
    if (typeof patch.active !== 'boolean') throw userErrors.USER_FIELD_INVALID('active must be true or false', { field: 'active' });
    out.active = patch.active;
  }
  if (patch.externalAuthId !== undefined) out.externalAuthId = nullableText(patch.externalAuthId, 'externalAuthId', 50);
  if (patch.language !== undefined) out.language = nullableText(patch.language, 'language', 8);
  if (patch.groupIds !== undefined) out.groupIds = groupIds(patch.groupIds);
  if (patch.position !== undefined) out.position = text(patch.position, 'position', 255);
  if (patch.phone !== undefined) out.phone = phone(patch.phone);
  if (patch.departmentId !== undefined) out.departmentId = nullableId(patch.departmentId, 'departmentId');
  if (patch.photoFileId !== undefined) out.photoFileId = nullableId(patch.photoFileId, 'photoFileId');
  if (patch.birthday !== undefined) out.birthday = birthday(patch.birthday);
  if (patch.employee !== undefined) {
    if (typeof patch.employee !== 'boolean') throw userErrors.USER_FIELD_INVALID('employee must be true or false', { field: 'employee' });
    out.employee = patch.employee;
  }
  return out;
}

const PHONE_PATTERN = /^\+?[0-9 ()\-.]{3,49}(\s*(ext\.?|доб\.?|x)\s*[0-9]{1,6})?$/i;

function phone(value: unknown): string {
  const v = text(value, 'phone', 50);
  if (v !== '' && !PHONE_PATTERN.test(v)) throw userErrors.USER_FIELD_INVALID('phone may hold digits, spaces, plus, brackets, hyphens and dots, and an extension such as "ext. 12"', { field: 'phone' });
  return v;
}

function nullableId(value: unknown, field: string): number | null {
  if (value === null) return null;
  if (!Number.isSafeInteger(value) || (value as number) <= 0) throw userErrors.USER_FIELD_INVALID(`${field} must be a positive whole number or null`, { field });
  return value as number;
}

/** A real calendar date "YYYY-MM-DD" from 1900 to today's year, or null. */
function birthday(value: unknown): string | null {
  if (value === null || value === '') return null;
  const m = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim()) : null;
  const [y, mo, d] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  const date = new Date(Date.UTC(y, mo - 1, d));
  const real = m !== null && date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
  if (!real || y < 1900 || y > new Date().getUTCFullYear()) {
    throw userErrors.USER_FIELD_INVALID('birthday must be a date written as YYYY-MM-DD', { field: 'birthday' });
  }
  return m![0];
}

/** Validates and normalizes a new user's input; checks the password policy when one is given. */
export function normalizeInput(input: UserInput): UserInput {
  if (!input || typeof input !== 'object') throw userErrors.USER_FIELD_INVALID('The user data must be an object');
  const login = validateLogin(typeof input.login === 'string' ? input.login.trim() : input.login);
  if (input.email === undefined) throw userErrors.USER_EMAIL_INVALID('E-mail is required', { field: 'email' });
  const rest = normalizePatch({ ...input, login: undefined, password: undefined } as UserPatch);
  if (input.password !== undefined) checkPasswordPolicy(input.password, login);
  return { ...rest, login, email: rest.email!, ...(input.password !== undefined ? { password: input.password } : {}) };
}
