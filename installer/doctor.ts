import type { PortalConfig } from '../core/config/types.js';
import type { ModuleDefinition } from '../core/modules/types.js';
import { probeDatabase, type DbProbe } from './database.js';
import { cacheCheck, dbCheck, dirsCheck, httpCheck, mailCheck, migrationsCheck, nodeCheck } from './doctor-checks.js';
import type { CheckOutcome, CheckSpec, DoctorCheck, DoctorCommand, DoctorContext } from './doctor-types.js';

export type { CheckOutcome, CheckSpec, DoctorCheck, DoctorCommand, DoctorContext, DoctorStatus } from './doctor-types.js';

export const CHECKS: readonly CheckSpec[] = [
  { id: 'node', title: 'Node.js version', guards: ['install', 'start', 'update'], run: nodeCheck },
  { id: 'db', title: 'Database', guards: ['install', 'start', 'update'], run: dbCheck },
  { id: 'cache', title: 'Cache', guards: ['install', 'start'], run: cacheCheck },
  { id: 'dirs', title: 'Writable directories', guards: ['install', 'start'], run: dirsCheck },
  { id: 'migrations', title: 'Pending migrations', guards: ['start', 'update'], run: migrationsCheck },
  { id: 'mail', title: 'Mail', guards: ['install', 'start'], run: mailCheck },
  { id: 'http', title: 'Public URL and proxy', guards: ['install', 'start'], run: httpCheck },
];

const CHECK_TIMEOUT_MS = 15_000;

/** Runs the checks (those guarding `only` commands, or all) one after another. */
export async function runDoctor(
  config: PortalConfig,
  opts: { only?: DoctorCommand[]; definitions?: ModuleDefinition[] } = {},
): Promise<DoctorCheck[]> {
  let probe: Promise<DbProbe> | undefined;
  const ctx: DoctorContext = {
    config,
    definitions: opts.definitions,
    only: opts.only,
    probe: () => (probe ??= probeDatabase(config.db.url)),
  };
  const selected = CHECKS.filter((c) => !opts.only || c.guards.some((g) => opts.only!.includes(g)));
  const out: DoctorCheck[] = [];
  for (const check of selected) {
    let outcome: CheckOutcome;
    try {
      outcome = await withTimeout(check.run(ctx), CHECK_TIMEOUT_MS);
    } catch (err) {
      outcome = { status: 'fail', message: (err as Error).message };
    }
    out.push({ id: check.id, title: check.title, ...outcome });
  }
  return out;
}

/** "db: cannot connect ...; cache: ..." for the failed checks, or '' when none failed. */
export function describeFailures(checks: DoctorCheck[]): string {
  return checks
    .filter((c) => c.status === 'fail')
    .map((c) => `${c.id}: ${c.message}`)
    .join('; ');
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer in ${ms / 1000} s`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e)),
    );
  });
}
