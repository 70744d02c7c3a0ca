import { Client, type Entry } from 'ldapts';
import { ldapErrors } from './errors.js';
import type { LdapServer } from './server-types.js';

/** LDAP result code 49: the DN exists but the password is wrong (AD adds a sub-code, e.g. "data 52e"). */
const INVALID_CREDENTIALS = 49;

export interface SearchRequest {
  scope: 'base' | 'one' | 'sub';
  filter: string;
  attributes: string[];
  /** Attributes to return as bytes (objectGUID). */
  binary?: string[];
  /** Page size for a paged search; absent: one request (small lookups). */
  pageSize?: number;
  /** Most entries a small lookup wants; more is no error (e.g. 2 to tell "ambiguous"). */
  sizeLimit?: number;
}

/** One bound connection. Every failure, a truncated result included, is thrown. */
export interface LdapSession {
  /** Pages of entries; a paged search never holds more than one page. */
  search(base: string, request: SearchRequest): AsyncGenerator<Entry[]>;
  close(): Promise<void>;
}

/** How the module reaches a directory; the tests of AD-only behaviour plug in a fixture. */
export interface Connector {
  /** A session bound with the server's service account. */
  open(server: LdapServer, bindPassword: string): Promise<LdapSession>;
  /** Whether `dn` + `password` bind; false only for "invalid credentials", any other failure throws. */
  verify(server: LdapServer, dn: string, password: string): Promise<boolean>;
}

/** True for errors that mean "the directory said no to this password". */
export function isInvalidCredentials(err: unknown): boolean {
  return (err as { code?: unknown })?.code === INVALID_CREDENTIALS;
}

/** A readable line for the sync log and the admin (never a password: ldapts messages carry none). */
export function describeLdapError(err: unknown): string {
  const e = err as { message?: unknown; code?: unknown };
  const text = typeof e?.message === 'string' ? e.message : String(err);
  return text.replace(/\s+/g, ' ').trim().slice(0, 500);
}

function client(server: LdapServer): Client {
  const ca = server.caCert ? [server.caCert] : undefined;
  return new Client({
    url: server.url,
    timeout: server.timeoutMs,
    connectTimeout: server.timeoutMs,
    strictDN: false,
    // ldapts speaks TLS from the start whenever tlsOptions are given, so only for ldaps://.
    ...(server.url.startsWith('ldaps:') ? { tlsOptions: { ...(ca ? { ca } : {}), minVersion: 'TLSv1.2' as const } } : {}),
  });
}

async function connect(server: LdapServer): Promise<Client> {
  const c = client(server);
  if (server.startTls) {
    const host = new URL(server.url).hostname;
    await c.startTLS({ ...(server.caCert ? { ca: [server.caCert] } : {}), servername: host, minVersion: 'TLSv1.2' });
  }
  return c;
}

async function bindOrThrow(c: Client, dn: string, password: string): Promise<void> {
  // An empty password with a DN is an "unauthenticated bind" many servers accept without checking anything.
  if (!dn) return;
  if (!password) throw ldapErrors.LDAP_PASSWORD_EMPTY();
  await c.bind(dn, password);
}

class LiveSession implements LdapSession {
  constructor(private readonly c: Client) {}

  async *search(base: string, request: SearchRequest): AsyncGenerator<Entry[]> {
    const options = {
      scope: request.scope,
      filter: request.filter,
      attributes: request.attributes,
      explicitBufferAttributes: request.binary,
      ...(request.sizeLimit ? { sizeLimit: request.sizeLimit } : {}),
    };
    if (!request.pageSize) {
      yield (await this.c.search(base, options)).searchEntries;
      return;
    }
    for await (const page of this.c.searchPaginated(base, { ...options, paged: { pageSize: request.pageSize } })) yield page.searchEntries;
  }

  async close(): Promise<void> {
    await this.c.unbind().catch(() => undefined);
  }
}

/** The real directory, through ldapts: LDAPS or StartTLS with the server's CA, timeouts on every operation. */
export const liveConnector: Connector = {
  async open(server, bindPassword) {
    const c = await connect(server).catch((err: unknown) => {
      throw unavailable(err);
    });
    try {
      await bindOrThrow(c, server.bindDn, bindPassword);
    } catch (err) {
      await c.unbind().catch(() => undefined);
      throw unavailable(err);
    }
    return new LiveSession(c);
  },

  async verify(server, dn, password) {
    if (!password || !dn) return false;
    const c = await connect(server).catch((err: unknown) => {
      throw unavailable(err);
    });
    try {
      await c.bind(dn, password);
      return true;
    } catch (err) {
      if (isInvalidCredentials(err)) return false;
      throw unavailable(err);
    } finally {
      await c.unbind().catch(() => undefined);
    }
  },
};

function unavailable(err: unknown) {
  if ((err as { code?: unknown })?.code === 'LDAP_PASSWORD_EMPTY') return err as Error;
  const resultCode = (err as { code?: unknown })?.code;
  return ldapErrors.LDAP_UNAVAILABLE(describeLdapError(err), { cause: describeLdapError(err), ...(typeof resultCode === 'number' ? { resultCode } : {}) });
}
