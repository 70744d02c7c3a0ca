import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { execa } from 'execa';
import { clusterErrors } from './errors.js';
import { credentials, oneLine } from './mariadb.js';

/** A [client] options file (mode 0600) so no password shows in the process list. */
function optionsFile(dir: string, name: string, url: string): string {
  const c = credentials(url);
  const file = path.join(dir, `${name}.cnf`);
  writeFileSync(file, `[client]\nhost=${c.host}\nport=${c.port}\nuser=${c.user}\npassword=${c.password}\nprotocol=tcp\n`, { mode: 0o600 });
  return file;
}

/**
 * Copies `database` from the primary into the new server from one consistent snapshot, while the primary keeps
 * taking writes: `mariadb-dump --single-transaction --gtid --master-data` piped into `mariadb`, which sets the
 * replica's gtid_slave_pos to the snapshot's position. Loaded with sql_log_bin=0: the copy is not the new
 * server's own history. `progress` gets the bytes copied about once a second.
 */
export async function seedFromDump(primaryUrl: string, targetUrl: string, database: string, progress?: (bytes: number) => void): Promise<number> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'portal-seed-'));
  let bytes = 0;
  try {
    const source = optionsFile(dir, 'primary', primaryUrl);
    const target = optionsFile(dir, 'target', targetUrl);
    const dump = execa('mariadb-dump', [`--defaults-extra-file=${source}`, '--single-transaction', '--gtid', '--master-data=1', '--routines', '--triggers', '--databases', database], {
      stdout: 'pipe',
      stderr: 'pipe',
      reject: false,
    });
    let last = Date.now();
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        if (progress && Date.now() - last >= 1000) {
          last = Date.now();
          progress(bytes);
        }
        done(null, chunk);
      },
    });
    const load = execa('mariadb', [`--defaults-extra-file=${target}`, '--init-command=SET sql_log_bin = 0', '--binary-mode'], { stdin: 'pipe', stdout: 'ignore', stderr: 'pipe', reject: false });
    dump.stdout!.pipe(counter).pipe(load.stdin!);
    const [d, l] = await Promise.all([dump, load]);
    if (d.exitCode !== 0) throw clusterErrors.CLUSTER_SEED_FAILED(`mariadb-dump: ${oneLine(String(d.stderr)).slice(0, 300)}`);
    if (l.exitCode !== 0) throw clusterErrors.CLUSTER_SEED_FAILED(`loading into the new server: ${oneLine(String(l.stderr)).slice(0, 300)}`);
    progress?.(bytes);
    return bytes;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
