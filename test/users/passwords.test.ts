import assert from 'node:assert/strict';
import { checkPasswordPolicy, dummyVerify, hashPassword, verifyPassword } from '../../core/users/passwords.js';

describe('passwords', () => {
  it('hashes with argon2id and the chosen parameters', async () => {
    const h = await hashPassword('correct horse battery');
    assert.match(h, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.notEqual(h, await hashPassword('correct horse battery'), 'salted');
  });

  it('verifies right and wrong passwords, and never throws on a malformed hash', async () => {
    const h = await hashPassword('correct horse battery');
    assert.equal(await verifyPassword(h, 'correct horse battery'), true);
    assert.equal(await verifyPassword(h, 'Correct horse battery'), false);
    assert.equal(await verifyPassword('not-a-hash', 'x'), false);
    assert.equal(await verifyPassword('', ''), false);
  });

  it('spends comparable work on the dummy check for unknown logins', async () => {
    const h = await hashPassword('some password');
    await dummyVerify('warm up');
    // CPU time of this process (argon2 runs on its thread pool), steadier than wall time under load.
    const cpu = async (fn: () => Promise<unknown>) => {
      const start = process.cpuUsage();
      for (let i = 0; i < 5; i++) await fn();
      const used = process.cpuUsage(start);
      return used.user + used.system;
    };
    const real = await cpu(() => verifyPassword(h, 'wrong password'));
    const dummy = await cpu(() => dummyVerify('wrong password'));
    assert.ok(dummy > real / 3, `dummy ${dummy}µs vs real ${real}µs of CPU`);
  });

  it('enforces the policy with PASSWORD_WEAK 400 and a clear message', () => {
    assert.throws(() => checkPasswordPolicy('short'), { code: 'PASSWORD_WEAK', status: 400, message: /8 to 256 characters/ });
    assert.throws(() => checkPasswordPolicy('ivan.petrov', 'ivan.petrov'), { code: 'PASSWORD_WEAK', message: /not the same as the login/ });
    assert.throws(() => checkPasswordPolicy('Ivan.Petrov', 'ivan.petrov'), { code: 'PASSWORD_WEAK' });
    assert.throws(() => checkPasswordPolicy('x'.repeat(257)), { code: 'PASSWORD_WEAK', details: { reason: 'length', min: 8, max: 256 } });
    assert.throws(() => checkPasswordPolicy(12345678 as unknown as string), { code: 'PASSWORD_WEAK' });
    assert.doesNotThrow(() => checkPasswordPolicy('long enough', 'ivan.petrov'));
  });
});
