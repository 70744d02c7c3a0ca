import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';

describeEachDb('API tokens', (kind) => {
  let t: TestKernel;
  before(async () => {
    t = await bootTestKernel(kind);
  });
  after(async () => {
    await t?.close();
  });

  it('issues ptk_ tokens, stores only their sha256 and a short prefix, and verifies them', async () => {
    const { users, tokens } = t.kernel;
    const u = await users.create({ login: 'script.owner', email: 'so@example.com' });
    const { token, id } = await tokens.issue(u.id, 'backup script');
    assert.match(token, /^ptk_[A-Za-z0-9_-]{43}$/);
    const row = await t.kernel.db('main').write('api_tokens').where({ id }).first();
    assert.equal(row.token_hash, createHash('sha256').update(token).digest('hex'));
    assert.ok(!JSON.stringify(row).includes(token.slice(4)), 'the secret part is not stored');
    assert.equal(row.prefix, token.slice(0, 12));
    const verified = await tokens.verify(token);
    assert.equal(verified?.id, u.id);
    const [info] = await tokens.list(u.id);
    assert.equal(info?.name, 'backup script');
    assert.equal(info?.prefix, token.slice(0, 12));
    assert.ok(info?.lastUsedAt instanceof Date, 'last use recorded');
    assert.equal(info?.revoked, false);
  });

  it('rejects unknown, malformed, revoked and expired tokens and tokens of blocked users', async () => {
    const { users, tokens } = t.kernel;
    const u = await users.create({ login: 'token.checks', email: 'tc@example.com' });
    assert.equal(await tokens.verify('ptk_' + 'A'.repeat(43)), null);
    assert.equal(await tokens.verify('garbage'), null);
    assert.equal(await tokens.verify(''), null);

    const revoked = await tokens.issue(u.id, 'revoked');
    await tokens.revoke(revoked.id);
    assert.equal(await tokens.verify(revoked.token), null);
    assert.equal((await tokens.get(revoked.id)).revoked, true);
    await assert.rejects(tokens.revoke(987654), { code: 'TOKEN_NOT_FOUND', status: 404 });

    const shortLived = await tokens.issue(u.id, 'short', { expiresAt: new Date(Date.now() + 3_600_000) });
    assert.equal((await tokens.verify(shortLived.token))?.id, u.id);
    assert.ok((await tokens.get(shortLived.id)).expiresAt instanceof Date);
    await t.kernel.db('main').write('api_tokens').where({ id: shortLived.id }).update({ expires_at: Date.now() - 1 });
    assert.equal(await tokens.verify(shortLived.token), null);

    const live = await tokens.issue(u.id, 'live');
    await users.setActive(u.id, false);
    assert.equal(await tokens.verify(live.token), null);
    await users.setActive(u.id, true);
    assert.equal((await tokens.verify(live.token))?.id, u.id);
  });

  it('validates issue parameters', async () => {
    const { users, tokens } = t.kernel;
    const u = await users.create({ login: 'token.params', email: 'tp@example.com' });
    await assert.rejects(tokens.issue(u.id, ''), { code: 'TOKEN_INVALID', status: 400 });
    await assert.rejects(tokens.issue(u.id, 'past', { expiresAt: new Date(Date.now() - 1000) }), { code: 'TOKEN_INVALID' });
    await assert.rejects(tokens.issue(999999, 'nobody'), { code: 'USER_NOT_FOUND' });
  });
});
