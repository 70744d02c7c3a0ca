import { Command } from 'commander';
import type { PortalConfig } from '../../core/config/types.js';
import { redact } from '../../core/db/db-url.js';
import { loadPortalConfig } from '../utils/kernel.js';
import { line, printJson } from '../utils/output.js';

export function configCommand(): Command {
  const cmd = new Command('config').description('the effective configuration');
  cmd
    .command('show')
    .description('defaults < portal.config.ts < var/settings.json < PORTAL_* variables, with passwords hidden')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => {
      const config = redactConfig(await loadPortalConfig());
      if (flags.json) return printJson(config);
      for (const [key, value] of flatten(config)) line(`${key} = ${JSON.stringify(value)}`);
    });
  return cmd;
}

/** A copy with the password of every URL hidden. */
export function redactConfig(config: PortalConfig): PortalConfig {
  const copy = structuredClone(config);
  copy.db.url = redact(copy.db.url);
  copy.db.modules = Object.fromEntries(Object.entries(copy.db.modules).map(([k, v]) => [k, redact(v)]));
  copy.db.replicas = Object.fromEntries(Object.entries(copy.db.replicas).map(([k, list]) => [k, list.map(redact)]));
  copy.mail.smtpUrl = redact(copy.mail.smtpUrl);
  if (copy.http.publicUrl) copy.http.publicUrl = redact(copy.http.publicUrl);
  return copy;
}

function flatten(value: unknown, prefix = ''): [string, unknown][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [[prefix, value]];
  const entries = Object.entries(value);
  if (entries.length === 0) return [[prefix, {}]];
  return entries.flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
}
