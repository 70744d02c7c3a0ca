import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PortalConfig } from '../../core/config/types.js';
import { createBackup } from '../../core/backup/create-backup.js';
import type { BackupUi } from '../../core/backup/ui.js';
import { APP_NAME, call, daemonRunning, describeApp, withPm2 } from '../utils/pm2.js';
import { releaseErrors } from './errors.js';
import { readState, releaseDir, switchCurrent, writeState, type ReleaseLayout } from './layout.js';
import { placeRelease } from './place-release.js';
import { answers, readyUrl, runReleaseCli, smokeStart, waitReady } from './run-release.js';

export interface UpgradeResult {
  from: string;
  to: string;
  backup: string;
  migrated: string;
  pm2Instances: number;
}

interface Run {
  layout: ReleaseLayout;
  config: PortalConfig;
  ui: BackupUi;
}

/**
 * `portal upgrade --to`: the new release beside the current one, doctor, a backup, the
 * migrations, the switch of `current`, a restart (pm2) or a trial start, and /readyz. A
 * failure after the backup puts the previous release and its database back.
 */
export async function upgrade(run: Run, source: string): Promise<UpgradeResult> {
  const { layout, config, ui } = run;
  return withUpgradeLock(layout, async () => {
    const instances = await pm2Instances();
    await assertStoppedOutsidePm2(config, instances);
    ui.step(`Installing the release beside ${layout.currentVersion}`);
    const placed = await placeRelease(layout, source, (m) => ui.step(m));
    ui.step(`Release ${placed.version} is in ${placed.dir} (dependencies: ${placed.deps})`);

    ui.step(`Running doctor of release ${placed.version}`);
    const doctor = await runReleaseCli(placed.dir, ['doctor', '--for', 'update', '--json']);
    const failed = failedChecks(doctor.stdout);
    if (!doctor.ok) throw releaseErrors.UPGRADE_FAILED(`doctor of release ${placed.version} failed: ${failed || doctor.error}; nothing was changed`);

    ui.step('Taking a backup');
    const backup = await createBackup({ config, out: path.join(config.paths.var, 'backups', `pre-upgrade-${layout.currentVersion}-to-${placed.version}-${stamp()}.tar.gz`), ui });
    ui.step(`Backup: ${backup.file}`);

    let step = 'stopping the portal';
    let switched = false;
    try {
      if (instances) await stopPm2();
      step = 'running the migrations';
      ui.step(`Running the migrations of release ${placed.version}`);
      const migrate = await runReleaseCli(placed.dir, ['migrate', 'up']);
      if (!migrate.ok) throw releaseErrors.UPGRADE_FAILED(migrate.error);
      step = 'switching to the new release';
      switchCurrent(layout, placed.version);
      switched = true;
      step = 'starting the new release';
      ui.step(instances ? `Starting release ${placed.version} under pm2` : `Trying release ${placed.version} (/readyz)`);
      await startAndCheck(placed.dir, config, instances);
      writeState(layout, { current: placed.version, previous: layout.currentVersion, backup: backup.file, at: new Date().toISOString() });
      return { from: layout.currentVersion, to: placed.version, backup: backup.file, migrated: migrate.stdout.trim(), pm2Instances: instances };
    } catch (err) {
      const reason = (err as Error).message;
      ui.step(`Upgrade failed while ${step}: ${reason}; rolling back to ${layout.currentVersion}`);
      await rollBack(run, { dir: layout.currentDir, version: layout.currentVersion, backup: backup.file, restoreDb: step !== 'stopping the portal', switched, instances }).catch((rbErr: unknown) => {
        throw releaseErrors.ROLLBACK_FAILED(`upgrade to ${placed.version} failed while ${step} (${reason}) and so did the rollback: ${(rbErr as Error).message}; restore ${backup.file} by hand (docs/operations.md)`);
      });
      throw releaseErrors.UPGRADE_FAILED(`upgrade to ${placed.version} failed while ${step}: ${reason}; rolled back to release ${layout.currentVersion} with its database from ${backup.file}`);
    }
  });
}

/** `portal upgrade --rollback`: the previous release and the backup taken before the upgrade to this one. */
export async function rollbackUpgrade(run: Run): Promise<{ from: string; to: string; backup: string }> {
  const { layout, config } = run;
  return withUpgradeLock(layout, async () => {
    const state = readState(layout);
    if (!state.previous || state.current !== layout.currentVersion) throw releaseErrors.UPGRADE_REFUSED(`release ${layout.currentVersion} was not installed by \`portal upgrade\`, so there is no previous release to go back to`);
    const dir = releaseDir(layout, state.previous);
    if (!existsSync(path.join(dir, 'bin/portal.js'))) throw releaseErrors.UPGRADE_REFUSED(`the previous release ${state.previous} is gone from ${dir}`);
    if (!state.backup || !existsSync(state.backup)) throw releaseErrors.UPGRADE_REFUSED(`the backup taken before the upgrade (${state.backup ?? 'none'}) is gone; restore another one with the previous release's \`portal restore\``);
    const instances = await pm2Instances();
    await assertStoppedOutsidePm2(config, instances);
    if (instances) await stopPm2();
    await rollBack(run, { dir, version: state.previous, backup: state.backup, restoreDb: true, switched: true, instances });
    writeState(layout, { current: state.previous, previous: null, backup: null, at: new Date().toISOString() });
    return { from: layout.currentVersion, to: state.previous, backup: state.backup };
  });
}

/** Back to `to`: its database from the backup (restored by its own code), `current` pointing at it, started again. */
async function rollBack(run: Run, to: { dir: string; version: string; backup: string; restoreDb: boolean; switched: boolean; instances: number }): Promise<void> {
  const { layout, config, ui } = run;
  if (to.instances) await stopPm2().catch(() => undefined);
  if (to.restoreDb) {
    ui.step(`Restoring ${path.basename(to.backup)} with release ${to.version}`);
    const r = await runReleaseCli(to.dir, ['restore', to.backup, '--yes']);
    if (!r.ok) throw new Error(`restore: ${r.error}`);
  }
  if (to.switched) switchCurrent(layout, to.version);
  ui.step(to.instances ? `Starting release ${to.version} under pm2` : `Checking release ${to.version} (/readyz)`);
  await startAndCheck(to.dir, config, to.instances);
}

async function startAndCheck(dir: string, config: PortalConfig, instances: number): Promise<void> {
  if (!instances) return smokeStart(dir, config);
  const r = await runReleaseCli(dir, ['start', '--daemon', '--instances', String(instances)]);
  if (!r.ok) throw releaseErrors.UPGRADE_FAILED(`pm2 start: ${r.error}`);
  await waitReady(readyUrl(config), 60_000);
}

async function pm2Instances(): Promise<number> {
  if (!daemonRunning()) return 0;
  return withPm2(async (pm2) => (await describeApp(pm2)).length);
}

async function stopPm2(): Promise<void> {
  await withPm2((pm2) => call((cb) => pm2.delete(APP_NAME, cb)));
}

/** Migrating under a portal that keeps serving old code is refused; pm2-run portals are stopped and started by the upgrade. */
async function assertStoppedOutsidePm2(config: PortalConfig, instances: number): Promise<void> {
  if (instances) return;
  const url = readyUrl(config);
  if (await answers(url)) throw releaseErrors.UPGRADE_REFUSED(`something answers at ${url.replace(/\/readyz$/, '')}: stop the portal first, or run it under pm2 (\`portal start --daemon\`) so the upgrade restarts it`);
}

function failedChecks(json: string): string {
  try {
    const r = JSON.parse(json) as { checks: { id: string; status: string; message: string }[] };
    return r.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.message}`).join('; ');
  } catch {
    return '';
  }
}

function stamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
}

/** One upgrade at a time per install (a lock file with the holder's pid; a dead holder's lock is taken over). */
async function withUpgradeLock<T>(layout: ReleaseLayout, fn: () => Promise<T>): Promise<T> {
  const file = path.join(layout.root, '.upgrade.lock');
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
  } catch {
    const pid = Number(readFileSync(file, 'utf8').trim());
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = pid !== process.pid;
    } catch {
      alive = false;
    }
    if (alive) throw releaseErrors.UPGRADE_RUNNING(`another upgrade (pid ${pid}) is running on ${layout.root}`);
    writeFileSync(file, String(process.pid));
  }
  try {
    return await fn();
  } finally {
    rmSync(file, { force: true });
  }
}
