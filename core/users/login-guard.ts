import type { PortalConfig } from '../config/types.js';
import type { ModuleDb } from '../db/module-db.js';
import { toBool } from '../db/module-db.js';
import { waitInWords } from '../i18n/durations.js';
import type { SecretStore } from '../security/secrets.js';
import { DEVICE_SECRET, deviceIdOf, makeDeviceToken } from './device-token.js';
import { userErrors } from './errors.js';
import { streakOf, type ThrottlePolicy } from './login-streak.js';

/** Failures from one address across all logins that throttle the address, as a multiple of loginMaxAttempts. */
const IP_FACTOR = 5;
/** Failures of one login from every client that pause sign-in from new places, as a multiple of loginMaxAttempts. */
const ACCOUNT_FACTOR = 5;
/** How long attempts are kept: successes name the addresses a login is known at. */
export const ATTEMPTS_KEEP_MS = 30 * 86_400_000;

/** Who is signing in: the address, and the device cookie if the browser has one. */
export interface SignInClient {
  ip: string;
  device?: string;
}

/** One recorded attempt, a failure until `succeed` says otherwise. */
export interface Attempt {
  id: number;
  /** The login as typed, trimmed and lower-cased (unknown logins are keyed the same way). */
  login: string;
  ip: string;
  /** "d:<device id>" for a browser with a valid device cookie for this login, else "ip:<address>". */
  client: string;
  /** Failures of this client's current streak before this attempt. */
  streak: number;
}

/** The key attempts are counted under; the same for existing and unknown logins. */
export const loginKey = (login: string): string => login.trim().toLowerCase().slice(0, 50);

/**
 * Brute-force protection without lockouts anyone can trigger. Every attempt is a row in
 * main_login_attempts, written before the password is checked (so parallel guesses see
 * each other) and refused, without checking the password, when:
 * - this client (device cookie, else address) has failed loginMaxAttempts times in a row
 *   for this login and its wait, doubling from a minute up to loginLockSeconds, is not over (429);
 * - the address has failed IP_FACTOR × loginMaxAttempts times within the window, for any
 *   logins, and the browser has no device cookie for this login (429);
 * - the login has failed ACCOUNT_FACTOR × loginMaxAttempts times within the window from
 *   all clients together (an attack from many places) and this client is neither a device
 *   that signed in with it nor an address it signed in from in the last 30 days (423).
 * Unknown logins are counted and answered exactly like existing ones.
 */
export class LoginGuard {
  private readonly db: ModuleDb;
  private readonly security: PortalConfig['security'];
  private readonly secrets: SecretStore;

  constructor({ db, security, secrets }: { db: ModuleDb; security: PortalConfig['security']; secrets: SecretStore }) {
    this.db = db;
    this.security = security;
    this.secrets = secrets;
  }

  private get policy(): ThrottlePolicy {
    return { maxFailures: this.security.loginMaxAttempts, windowMs: this.security.loginWindowSeconds * 1000, lockMs: this.security.loginLockSeconds * 1000 };
  }

  /** Records the attempt; throws LOGIN_THROTTLED or USER_LOCKED (and forgets the attempt) when it must wait. */
  async begin(login: string, client: SignInClient, now: number): Promise<Attempt> {
    const key = loginKey(login);
    const ip = client.ip.slice(0, 64);
    const device = deviceIdOf(await this.secrets.key(DEVICE_SECRET), client.device, key, now);
    const clientKey = device ? `d:${device}` : `ip:${ip}`;
    const [id] = (await this.db.write('login_attempts').insert({ login: key, ip, client: clientKey, success: false, created_at: now })) as number[];
    const attempt: Attempt = { id: Number(id), login: key, ip, client: clientKey, streak: 0 };
    try {
      await this.check(attempt, device !== null, now);
    } catch (err) {
      await this.db.write('login_attempts').where({ id: attempt.id }).delete();
      throw err;
    }
    return attempt;
  }

  async succeed(attempt: Attempt): Promise<void> {
    await this.db.write('login_attempts').where({ id: attempt.id }).update({ success: true });
  }

  /** Forgets the login's failures (a new password was set). */
  async reset(login: string): Promise<void> {
    await this.db.write('login_attempts').where({ login: loginKey(login), success: false }).delete();
  }

  /** A device cookie for a browser that just signed in with `login`. */
  async deviceToken(login: string, now = Date.now()): Promise<string> {
    return makeDeviceToken(await this.secrets.key(DEVICE_SECRET), loginKey(login), now);
  }

  /** Whether `token` is a valid device cookie for `login`. */
  async isDevice(login: string, token: unknown, now = Date.now()): Promise<boolean> {
    return deviceIdOf(await this.secrets.key(DEVICE_SECRET), token, loginKey(login), now) !== null;
  }

  /** Deletes attempts older than `before` and older than ATTEMPTS_KEEP_MS. */
  purge(before: Date): Promise<number> {
    const keepFrom = Math.min(before.getTime(), Date.now() - ATTEMPTS_KEEP_MS);
    return this.db.write('login_attempts').where('created_at', '<', keepFrom).delete();
  }

  private async check(attempt: Attempt, knownDevice: boolean, now: number): Promise<void> {
    const { maxFailures, windowMs } = this.policy;
    if (!knownDevice && attempt.ip) {
      const nth = await this.nthRecentFailure({ ip: attempt.ip }, IP_FACTOR * maxFailures, attempt.id, now);
      if (nth !== null) throw throttled(nth + windowMs - now, 'ip');
    }
    const nth = await this.nthRecentFailure({ login: attempt.login }, ACCOUNT_FACTOR * maxFailures, attempt.id, now);
    if (nth !== null && !knownDevice && !(await this.knownAddress(attempt, now))) throw paused(nth + windowMs - now);
    const rows = (await this.db
      .write('login_attempts')
      .where({ login: attempt.login, client: attempt.client })
      .andWhere('id', '<', attempt.id)
      .orderBy('id', 'desc')
      .limit(maxFailures + 12)
      .select('success', 'created_at')) as { success: unknown; created_at: unknown }[];
    const streak = streakOf(rows.map((r) => ({ success: toBool(r.success), at: Number(r.created_at) })), now, this.policy);
    attempt.streak = streak.failures;
    if (streak.waitUntil > now) throw throttled(streak.waitUntil - now, 'client');
  }

  /** The time of the n-th newest failure within the window (before attempt `beforeId`), or null when there are fewer. */
  private async nthRecentFailure(where: { ip: string } | { login: string }, n: number, beforeId: number, now: number): Promise<number | null> {
    const row = (await this.db
      .write('login_attempts')
      .where({ ...where, success: false })
      .andWhere('id', '<', beforeId)
      .andWhere('created_at', '>', now - this.policy.windowMs)
      .orderBy('created_at', 'desc')
      .offset(n - 1)
      .first('created_at')) as { created_at: unknown } | undefined;
    return row ? Number(row.created_at) : null;
  }

  /** Whether the login signed in from this address within ATTEMPTS_KEEP_MS. */
  private async knownAddress(attempt: Attempt, now: number): Promise<boolean> {
    const row = await this.db
      .write('login_attempts')
      .where({ login: attempt.login, ip: attempt.ip, success: true })
      .andWhere('created_at', '>', now - ATTEMPTS_KEEP_MS)
      .first('id');
    return row !== undefined;
  }
}

const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

/** LOGIN_THROTTLED (429) with the wait in English words and in details.retryAfterSeconds. */
export function throttled(ms: number, scope: 'client' | 'ip') {
  const wait = seconds(ms);
  return userErrors.LOGIN_THROTTLED(`Too many failed sign-in attempts. Try again in ${waitInWords(wait, 'en')}.`, { retryAfterSeconds: wait, scope });
}

/** USER_LOCKED (423): sign-in from new places paused for this login. */
export function paused(ms: number) {
  const wait = seconds(ms);
  return userErrors.USER_LOCKED(
    `Sign-in with this login is paused after many failed attempts from different places. Try again in ${waitInWords(wait, 'en')}; a device that signed in here before can sign in now.`,
    { retryAfterSeconds: wait, scope: 'account' },
  );
}
