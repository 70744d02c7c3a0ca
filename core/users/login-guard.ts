import type { PortalConfig } from '../config/types.js';
import type { ModuleDb } from '../db/module-db.js';
import { coreErrors } from '../errors/codes.js';

/** Failures one IP may make per window, as a multiple of the per-account limit. */
const IP_FAILURE_FACTOR = 5;

export interface FailureOutcome {
  failures: number;
  /** Epoch ms the account is now locked until, or null when not locked. */
  lockedUntil: number | null;
}

/**
 * Brute-force protection: every sign-in attempt goes to main_login_attempts; an account
 * is locked after `loginMaxAttempts` consecutive failures within the window, and an IP
 * is throttled after IP_FAILURE_FACTOR times as many failures.
 */
export class LoginGuard {
  private readonly db: ModuleDb;
  private readonly security: PortalConfig['security'];

  constructor({ db, security }: { db: ModuleDb; security: PortalConfig['security'] }) {
    this.db = db;
    this.security = security;
  }

  private get windowMs(): number {
    return this.security.loginWindowSeconds * 1000;
  }

  /** Throws TOO_MANY_REQUESTS (429) when this IP failed too often within the window. */
  async assertIpAllowed(ip: string, now: number): Promise<void> {
    if (!ip) return;
    const limit = IP_FAILURE_FACTOR * this.security.loginMaxAttempts;
    const row = await this.db
      .write('login_attempts')
      .where({ ip: ip.slice(0, 64), success: false })
      .andWhere('created_at', '>', now - this.windowMs)
      .count({ n: '*' })
      .first();
    if (Number(row?.n ?? 0) >= limit) {
      throw coreErrors.TOO_MANY_REQUESTS('Too many failed sign-in attempts from this address; try again later', {
        retryAfterSeconds: this.security.loginWindowSeconds,
      });
    }
  }

  async record(login: string, ip: string, success: boolean, now: number): Promise<void> {
    await this.db.write('login_attempts').insert({ login: login.slice(0, 50), ip: ip.slice(0, 64), success, created_at: now });
  }

  /**
   * Counts the account's consecutive failures (since its last success or lock, within
   * the window) and locks it when they reach the limit.
   */
  async registerFailure(user: { id: number; login: string; lastLoginAt: number; lockedUntil: number }, now: number): Promise<FailureOutcome> {
    const since = Math.max(now - this.windowMs, user.lastLoginAt, user.lockedUntil);
    const row = await this.db
      .write('login_attempts')
      .where({ login: user.login, success: false })
      .andWhere('created_at', '>', since)
      .count({ n: '*' })
      .first();
    const failures = Number(row?.n ?? 0);
    const lockedUntil = failures >= this.security.loginMaxAttempts ? now + this.security.loginLockSeconds * 1000 : null;
    await this.db
      .write('users')
      .where({ id: user.id })
      .update({ failed_logins: failures, ...(lockedUntil ? { locked_until: lockedUntil } : {}) });
    return { failures, lockedUntil };
  }

  async registerSuccess(userId: number, now: number): Promise<void> {
    await this.db.write('users').where({ id: userId }).update({ failed_logins: 0, locked_until: null, last_login_at: now });
  }

  /** Deletes attempts older than `before` (they no longer count for any window). */
  purge(before: Date): Promise<number> {
    const keepFrom = Math.min(before.getTime(), Date.now() - this.windowMs);
    return this.db.write('login_attempts').where('created_at', '<', keepFrom).delete();
  }
}
