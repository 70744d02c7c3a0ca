import { chmod, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { parseDbUrl, type DbUrl } from '../db/db-url.js';
import { backupErrors } from './errors.js';

export type MysqlUrl = Extract<DbUrl, { client: 'mysql' }>;

export function mysqlUrl(raw: string): MysqlUrl {
  const url = parseDbUrl(raw);
  if (url.client !== 'mysql') throw backupErrors.BACKUP_FAILED(`not a MariaDB URL: ${raw}`);
  return url;
}

/**
 * Runs a MariaDB client tool (mariadb-dump, mariadb) with the credentials in a 0600 option
 * file, so the password is never on a command line. The first name found on PATH is used.
 */
export async function runMysqlTool(
  names: string[],
  url: MysqlUrl,
  args: string[],
  opts: { tmpDir: string; inputFile?: string },
): Promise<void> {
  const cnf = path.join(opts.tmpDir, `.client-${randomBytes(6).toString('hex')}.cnf`);
  const quote = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  await writeFile(cnf, `[client]\nhost=${quote(url.host)}\nport=${url.port}\nuser=${quote(url.user)}\npassword=${quote(url.password)}\nprotocol=TCP\n`, { mode: 0o600 });
  await chmod(cnf, 0o600);
  try {
    const tool = await findTool(names);
    const result = await execa(tool, [`--defaults-extra-file=${cnf}`, ...args], {
      reject: false,
      stdin: opts.inputFile ? undefined : 'ignore',
      ...(opts.inputFile ? { inputFile: opts.inputFile } : {}),
      stdout: 'ignore',
      stderr: 'pipe',
      maxBuffer: 1024 * 1024,
    });
    if (result.exitCode !== 0) {
      const why = String(result.stderr).trim().split('\n').filter(Boolean).pop() ?? `exit ${result.exitCode}`;
      throw backupErrors.BACKUP_FAILED(`${path.basename(tool)} failed on ${url.host}:${url.port}/${url.database}: ${why}`);
    }
  } finally {
    await rm(cnf, { force: true });
  }
}

const found = new Map<string, string>();

async function findTool(names: string[]): Promise<string> {
  const key = names.join(',');
  const hit = found.get(key);
  if (hit) return hit;
  for (const name of names) {
    const r = await execa('sh', ['-c', `command -v ${name}`], { reject: false });
    if (r.exitCode === 0 && String(r.stdout).trim()) {
      found.set(key, String(r.stdout).trim());
      return String(r.stdout).trim();
    }
  }
  throw backupErrors.BACKUP_TOOL_MISSING(`${names[0]} is not installed (Debian: apt-get install mariadb-client)`);
}

/** A consistent dump of one database (one InnoDB snapshot, the portal keeps writing). */
export async function dumpDatabase(url: MysqlUrl, file: string, tmpDir: string): Promise<void> {
  await runMysqlTool(['mariadb-dump', 'mysqldump'], url, [
    '--single-transaction', '--quick', '--complete-insert', '--hex-blob', '--routines', '--triggers',
    '--skip-lock-tables', '--no-tablespaces', '--default-character-set=utf8mb4', `--result-file=${file}`, url.database,
  ], { tmpDir });
}

/** Loads a dump into a database (which must exist). */
export async function loadDump(url: MysqlUrl, file: string, tmpDir: string): Promise<void> {
  await runMysqlTool(['mariadb', 'mysql'], url, ['--default-character-set=utf8mb4', url.database], { tmpDir, inputFile: file });
}
