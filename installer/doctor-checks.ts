import { accessSync, constants, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { nodemailer } from '../core/mail/mail-queue.js';
import semver from 'semver';
import { createDriver } from '../core/cache/create-cache.js';
import { parseDbUrl, redact } from '../core/db/db-url.js';
import { Kernel } from '../core/kernel.js';
import { silentLogger } from '../core/log/logger.js';
import { probeDatabase, type DbProbe } from './database.js';
import type { CheckOutcome, DoctorContext } from './doctor-types.js';

export const MIN_NODE = '20.5.0';
const MIN_SERVER: Record<string, string> = { MariaDB: '10.6.0', MySQL: '8.0.0' };

export async function nodeCheck(): Promise<CheckOutcome> {
  const v = process.versions.node;
  if (semver.gte(v, MIN_NODE)) return { status: 'ok', message: `Node.js ${v}` };
  return { status: 'fail', message: `Node.js >= 20.5 is required; this is ${v}` };
}

export async function dbCheck(ctx: DoctorContext): Promise<CheckOutcome> {
  const forInstall = ctx.only?.length === 1 && ctx.only[0] === 'install';
  const main = describeProbe(ctx.config.db.url, await ctx.probe(), forInstall);
  if (main.status === 'fail') return main;
  // Vertical shards must answer too.
  for (const [moduleId, url] of Object.entries(ctx.config.db.modules)) {
    const shard = await probeDatabase(url);
    if (!shard.reachable) return { status: 'fail', message: `DB of module "${moduleId}": ${shard.error}` };
  }
  return main;
}

/** A DB that does not exist yet is a warning, except when checking before an install, which creates it. */
function describeProbe(url: string, probe: DbProbe, forInstall: boolean): CheckOutcome {
  if (!probe.reachable) return { status: 'fail', message: probe.error ?? `cannot reach ${redact(url)}` };
  const parsed = parseDbUrl(url);
  const where = parsed.client === 'sqlite' ? parsed.filename : redact(url);
  const head = `${probe.serverVersion} at ${where}`;
  const old = tooOld(probe.serverVersion);
  if (!probe.exists) {
    const what = parsed.client === 'sqlite' ? 'the file does not exist yet' : `database "${parsed.database}" does not exist yet`;
    return { status: forInstall ? 'ok' : 'warn', message: `${head}; ${what} (\`portal install\` creates it)` };
  }
  const state = probe.installed ? `portal installed (main ${probe.mainVersion})` : 'portal not installed yet';
  if (old) return { status: 'warn', message: `${head}; ${state}; ${old}` };
  return { status: 'ok', message: `${head}; ${state}` };
}

function tooOld(serverVersion = ''): string | undefined {
  const [kind, version] = serverVersion.split(' ');
  const min = MIN_SERVER[kind ?? ''];
  const v = semver.coerce(version);
  if (!min || !v || semver.gte(v, min)) return undefined;
  return `${kind} ${min.replace(/\.0$/, '')} or newer is supported`;
}

export async function cacheCheck(ctx: DoctorContext): Promise<CheckOutcome> {
  const cache = ctx.config.cache;
  if (cache.driver === 'memory') {
    return { status: 'ok', message: 'in-process memory cache (one process only; use memcached for several)' };
  }
  const driver = createDriver(cache, silentLogger());
  try {
    await driver.ping();
    return { status: 'ok', message: `memcached ${cache.servers.join(', ')} answers` };
  } catch (err) {
    return { status: 'fail', message: `memcached ${cache.servers.join(', ')} does not answer: ${(err as Error).message}` };
  } finally {
    await driver.close().catch(() => undefined);
  }
}

export async function dirsCheck(ctx: DoctorContext): Promise<CheckOutcome> {
  const dirs = { var: ctx.config.paths.var, upload: ctx.config.paths.upload };
  const notes: string[] = [];
  for (const [name, dir] of Object.entries(dirs)) {
    const existing = nearestExisting(dir);
    if (!statSync(existing).isDirectory()) return { status: 'fail', message: `${name} directory ${dir} cannot be created: ${existing} is a file` };
    try {
      accessSync(existing, constants.W_OK);
    } catch {
      return { status: 'fail', message: `${name} directory ${dir} is not writable (${existing})` };
    }
    notes.push(existing === dir ? `${name} ${dir}` : `${name} ${dir} (will be created)`);
  }
  return { status: 'ok', message: `writable: ${notes.join(', ')}` };
}

function nearestExisting(dir: string): string {
  let current = path.resolve(dir);
  while (!existsSync(current) && path.dirname(current) !== current) current = path.dirname(current);
  return current;
}

export async function migrationsCheck(ctx: DoctorContext): Promise<CheckOutcome> {
  const probe = await ctx.probe();
  if (!probe.reachable) return { status: 'skip', message: 'the database cannot be reached (see the database check)' };
  if (!probe.installed) return { status: 'skip', message: 'the portal is not installed here' };
  const kernel = await Kernel.boot(ctx.config, { log: silentLogger(), activate: false, definitions: ctx.definitions });
  try {
    const pending: string[] = [];
    let count = 0;
    for (const def of kernel.modules.installedDefinitions()) {
      const todo = await kernel.migrator.pending(def);
      if (todo.length > 0) pending.push(`${def.id} (${todo.length})`);
      count += todo.length;
    }
    const missing = kernel.modules.listInstalled().filter((m) => !kernel.modules.available.has(m.id)).map((m) => m.id);
    const gone = missing.length > 0 ? `; installed modules without code: ${missing.join(', ')}` : '';
    if (count > 0) return { status: 'warn', message: `${count} pending: ${pending.join(', ')}; run \`portal migrate up\`${gone}` };
    return { status: missing.length ? 'warn' : 'ok', message: `all migrations applied${gone}` };
  } finally {
    await kernel.close();
  }
}

export async function mailCheck(ctx: DoctorContext): Promise<CheckOutcome> {
  const url = ctx.config.mail.smtpUrl;
  if (!url) return { status: 'warn', message: 'mail.smtpUrl is empty: mail stays queued until it is set (PORTAL_SMTP_URL)' };
  const transport = nodemailer().createTransport({ url, connectionTimeout: 5000, greetingTimeout: 5000, socketTimeout: 5000 });
  try {
    await transport.verify();
    return { status: 'ok', message: `SMTP ${redact(url)} accepts connections` };
  } catch (err) {
    return { status: 'fail', message: `SMTP ${redact(url)}: ${(err as Error).message}` };
  } finally {
    transport.close();
  }
}

/**
 * The public URL against the proxy settings: an https portal sits behind a TLS proxy
 * (the portal speaks plain http), and only a trusted proxy can tell it a request came over https.
 */
export async function httpCheck(ctx: DoctorContext): Promise<CheckOutcome> {
  const http = ctx.config.http;
  if (!http.publicUrl) return { status: 'ok', message: `plain http on ${http.host}:${http.port} (no http.publicUrl; cookies are not marked Secure)` };
  if (!http.publicUrl.startsWith('https:')) return { status: 'ok', message: `${http.publicUrl}: plain http, cookies are not marked Secure` };
  if (http.trustProxy) {
    return { status: 'warn', message: `X-Forwarded-* headers are believed from every peer (http.trustProxy): make sure only the proxy reaches port ${http.port}, or list it in http.trustedProxies instead` };
  }
  if (http.trustedProxies.length === 0) {
    return { status: 'fail', message: `http.publicUrl is https but http.trustedProxies is empty: no request can be known to come over https (no HSTS, wrong page-cache keys); list the TLS proxy's address in http.trustedProxies (PORTAL_TRUSTED_PROXIES)` };
  }
  const list = http.trustedProxies.join(', ');
  const onlyLoopback = http.trustedProxies.every((p) => /^(127\.|::1(\/128)?$)/.test(p));
  if (onlyLoopback && !/^(127\.|::1$|localhost$)/.test(http.host)) {
    return { status: 'warn', message: `listening on ${http.host} but X-Forwarded-Proto is believed only from ${list}: if the TLS proxy runs on another machine, add its address to http.trustedProxies (PORTAL_TRUSTED_PROXIES)` };
  }
  return { status: 'ok', message: `https behind a proxy; X-Forwarded-* believed from ${list}` };
}
