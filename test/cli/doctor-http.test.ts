import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertOneLineError, runCli } from './cli-harness.js';

type Report = { ok: boolean; checks: { id: string; status: string; message: string }[] };

describe('portal doctor: the public URL and the TLS proxy', () => {
  let dir: string;
  let env: Record<string, string>;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'portal-cli-doctor-http-'));
    env = { PORTAL_VAR_DIR: dir, PORTAL_DB_URL: `sqlite:${path.join(dir, 'none.db')}`, PORTAL_PUBLIC_URL: 'https://intranet.example.test' };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const httpCheck = async (extra: Record<string, string>) => {
    const r = await runCli(['doctor', '--json'], { ...env, ...extra });
    const report = JSON.parse(r.stdout) as Report;
    return { exitCode: r.exitCode, check: report.checks.find((c) => c.id === 'http')! };
  };

  it('fails an https publicUrl when no proxy is trusted to say a request came over https', async () => {
    const { exitCode, check } = await httpCheck({ PORTAL_TRUSTED_PROXIES: '' });
    assert.equal(check.status, 'fail');
    assert.match(check.message, /https.*http\.trustedProxies/);
    assert.equal(exitCode, 1);
  });

  it('is content with the usual proxy on the same host', async () => {
    const { check } = await httpCheck({});
    assert.equal(check.status, 'ok', check.message);
    assert.match(check.message, /127\.0\.0\.1, ::1/);
  });

  it('warns when the portal listens beyond this host but trusts only a proxy on it', async () => {
    const { check } = await httpCheck({ PORTAL_HTTP_HOST: '0.0.0.0' });
    assert.equal(check.status, 'warn');
    assert.match(check.message, /another machine.*PORTAL_TRUSTED_PROXIES/);
  });

  it('refuses a trusted proxy that is no address, in one line', async () => {
    assertOneLineError(await runCli(['doctor'], { ...env, PORTAL_TRUSTED_PROXIES: '127.0.0.1,proxy.local' }), /"proxy\.local" is not an IP address or CIDR range/);
  });
});
