import { currentModule } from '../modules/owner.js';

/** A sign-in the kernel could not settle with a local password: what a provider is asked. */
export interface AuthAttempt {
  /** As typed (trimmed); may be unknown to the portal. */
  login: string;
  /** Never empty or blank: those are refused before any provider is asked. */
  password: string;
  ip: string;
}

/** The portal account of that login, if there is one. */
export interface AuthAccount {
  id: number;
  login: string;
  /** The provider that owns the account ("ldap"), or null for a local one. */
  externalAuthId: string | null;
}

export type AuthOutcome =
  /** Not this provider's user: the next one is asked. */
  | { result: 'pass' }
  /** This provider's user, and the password is wrong (or the account may not sign in here). */
  | { result: 'failed'; reason: string }
  /** The provider cannot decide now (its server is down and its policy says no). */
  | { result: 'unavailable'; reason: string }
  /** Signed in: the portal user (created or updated by the provider). `details` go to the security log. */
  | { result: 'success'; userId: number; details?: Record<string, unknown> };

/**
 * An authentication provider a module registers (`kernel.users.providers.register`):
 * the kernel's authenticate asks it for logins without a local password, under the same
 * throttling, lockout and security log as local sign-ins.
 */
export interface AuthProvider {
  /** Matches users.externalAuthId of the accounts it owns, e.g. "ldap". */
  readonly id: string;
  authenticate(attempt: AuthAttempt, account: AuthAccount | null): Promise<AuthOutcome>;
}

/** The registered providers, in registration order; a module's go away when it is uninstalled. */
export class AuthProviders {
  private readonly entries: { provider: AuthProvider; module: string | undefined }[] = [];

  register(provider: AuthProvider): () => void {
    if (!provider || typeof provider.authenticate !== 'function' || !/^[a-z0-9_.-]{1,50}$/.test(String(provider.id))) {
      throw new TypeError('an auth provider needs an id (a-z, 0-9, _ . -) and an authenticate function');
    }
    if (this.entries.some((e) => e.provider.id === provider.id)) throw new TypeError(`auth provider "${provider.id}" is already registered`);
    const entry = { provider, module: currentModule() };
    this.entries.push(entry);
    return () => void this.entries.splice(this.entries.indexOf(entry) >>> 0, 1);
  }

  removeModule(moduleId: string): void {
    for (let i = this.entries.length - 1; i >= 0; i--) if (this.entries[i]!.module === moduleId) this.entries.splice(i, 1);
  }

  get size(): number {
    return this.entries.length;
  }

  /**
   * Asks the providers: for an account a provider owns, that provider only; for an unknown
   * login each in turn until one does not pass. A local account is never handed to a provider.
   */
  async authenticate(attempt: AuthAttempt, account: AuthAccount | null): Promise<AuthOutcome> {
    if (!attempt.password.trim()) return { result: 'failed', reason: 'empty_password' };
    const owner = account?.externalAuthId ?? null;
    if (account && owner === null) return { result: 'pass' };
    let unavailable: AuthOutcome | undefined;
    for (const { provider } of [...this.entries]) {
      if (owner !== null && provider.id !== owner) continue;
      const outcome = await provider.authenticate(attempt, account);
      if (outcome.result === 'unavailable') unavailable ??= outcome;
      else if (outcome.result !== 'pass') return outcome;
    }
    return unavailable ?? { result: 'pass' };
  }
}
