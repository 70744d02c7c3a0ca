import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertOneLineError, ok, runCli } from './cli-harness.js';

const COMMANDS = ['install', 'start', 'stop', 'status', 'reload', 'logs', 'doctor', 'module', 'migrate', 'user', 'group', 'cache', 'agents', 'config', 'make'];

describe('portal CLI without a portal', () => {
  let dir: string;
  let env: Record<string, string>;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'portal-cli-help-'));
    env = { PORTAL_VAR_DIR: dir, PORTAL_DB_URL: `sqlite:${path.join(dir, 'none.db')}` };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--help lists every command', async () => {
    const out = ok(await runCli(['--help'], env));
    for (const c of COMMANDS) assert.match(out, new RegExp(`^  ${c}\\b`, 'm'), `--help lacks ${c}`);
  });

  it('every command and subcommand has its own --help', async () => {
    const results = await Promise.all(
      [['install'], ['start'], ['user', 'add'], ['module', 'uninstall'], ['migrate', 'down'], ['make', 'module']].map((args) => runCli([...args, '--help'], env)),
    );
    assert.match(ok(results[0]!), /--force[\s\S]*No table or row is dropped/);
    assert.match(ok(results[1]!), /--instances <n>/);
    assert.match(ok(results[2]!), /--email <email>[\s\S]*--group <code\.\.\.>[\s\S]*--admin/);
    assert.match(results[2]!.stdout, /--email <email> +e-mail address \(required\)\n/, 'required options are marked');
    assert.doesNotMatch(results[2]!.stdout, /--(password|name|group) .*\(required\)/, 'optional ones are not');
    assert.match(ok(results[3]!), /--drop-data/);
    assert.match(ok(results[4]!), /--module <id> .*\(required\)[\s\S]*--all/);
    assert.match(ok(results[5]!), /make module \[options\] <id>/);
  });

  it('a command that needs the portal says it is not installed, in one line', async () => {
    assertOneLineError(await runCli(['user', 'list'], env), /^portal: the portal is not installed here; run `portal install`/);
  });

  it('usage errors are one line, not a stack trace', async () => {
    const [unknown, limit, instances, cache] = await Promise.all([
      runCli(['frobnicate'], env),
      runCli(['user', 'list', '--limit', 'many'], env),
      runCli(['start', '--instances', '2'], env),
      runCli(['start', '--daemon', '--instances', '2'], env),
    ]);
    assertOneLineError(unknown!, /unknown command 'frobnicate'/);
    assertOneLineError(limit!, /--limit <n>.*whole number/);
    assertOneLineError(instances!, /--instances needs --daemon/);
    assertOneLineError(cache!, /memory cache.*configure memcached.*\[SHARED_CACHE_REQUIRED\]$/);
  });

  it('doctor --json reports a missing database as a warning and exits 0', async () => {
    const r = await runCli(['doctor', '--json'], env);
    const report = JSON.parse(ok(r)) as { ok: boolean; checks: { id: string; status: string }[] };
    assert.equal(report.checks.find((c) => c.id === 'db')?.status, 'warn');
    assert.equal(report.checks.find((c) => c.id === 'migrations')?.status, 'skip');
  });

  it('doctor exits 1 when a check fails', async () => {
    const r = await runCli(['doctor', '--json'], { ...env, PORTAL_DB_URL: 'mysql://nobody:x@127.0.0.1:1/nothing' });
    assert.equal(r.exitCode, 1);
    const report = JSON.parse(r.stdout) as { ok: boolean; checks: { id: string; status: string; message: string }[] };
    assert.equal(report.ok, false);
    const db = report.checks.find((c) => c.id === 'db')!;
    assert.equal(db.status, 'fail');
    assert.match(db.message, /nobody:\*\*\*@/);
    const migrations = report.checks.find((c) => c.id === 'migrations')!;
    assert.equal(migrations.status, 'skip');
    assert.match(migrations.message, /the database cannot be reached/);
    assert.doesNotMatch(r.stdout, /not installed/, 'an unreachable DB is not reported as "not installed"');
  });

  it('doctor names a SQLite file that cannot be opened, without a stack trace', async () => {
    const r = await runCli(['doctor'], { ...env, PORTAL_DB_URL: `sqlite:${dir}` });
    assert.equal(r.exitCode, 1);
    assert.match(r.stdout, /fail +Database +cannot open .*unable to open database file/);
    assert.match(r.stdout, /skip +Pending migrations +the database cannot be reached/);
    assert.doesNotMatch(r.stdout + r.stderr, /not installed|\n\s+at /);
  });

  it('status and logs say the same when the portal is not running under pm2: one line, exit 1, `portal start --daemon`', async () => {
    const pm2Env = { ...env, PM2_HOME: path.join(dir, 'pm2-home') };
    const [status, logs, json] = await Promise.all([runCli(['status'], pm2Env), runCli(['logs'], pm2Env), runCli(['status', '--json'], pm2Env)]);
    const expected = /^portal: the portal is not running under pm2; start it with `portal start --daemon` \[NOT_RUNNING\]$/;
    assertOneLineError(status!, expected);
    assertOneLineError(logs!, expected);
    assert.equal(status!.stderr, logs!.stderr);
    assert.equal(status!.exitCode, logs!.exitCode);
    assert.deepEqual(JSON.parse(json!.stdout), { running: false, processes: [] });
    assert.equal(json!.exitCode, status!.exitCode);
  });

  it('config show --json hides passwords without touching the DB', async () => {
    const r = await runCli(['config', 'show', '--json'], { ...env, PORTAL_DB_URL: 'mysql://u:s3cret@db.example:3306/p', PORTAL_SMTP_URL: 'smtp://m:pw@mail.example:25' });
    const out = ok(r);
    assert.doesNotMatch(out, /s3cret|:pw@/);
    const config = JSON.parse(out) as { db: { url: string }; mail: { smtpUrl: string } };
    assert.equal(config.db.url, 'mysql://u:***@db.example:3306/p');
    assert.equal(config.mail.smtpUrl, 'smtp://m:***@mail.example:25');
  });
});
