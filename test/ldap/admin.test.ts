import assert from 'node:assert/strict';
import { discoverModules } from '../../core/modules/discover.js';
import { alertText, assertCsrfRequired, assertDenied, page, submit, startAdminEnv, type AdminEnv } from '../admin/harness.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { LDAP_SERVICE_DN, LDAP_SERVICE_PASSWORD, slapdFromEnv } from '../harness/slapd.js';
import { DirectoryFixture } from './directory-fixture.js';

describeEachDb('LDAP admin screens', (kind) => {
  let env: AdminEnv;
  let dir: DirectoryFixture;
  let serverId: number;

  before(async function () {
    this.timeout(60_000);
    dir = await DirectoryFixture.create(slapdFromEnv().url, { users: 8 });
    env = await startAdminEnv(kind, { definitions: await discoverModules() });
    await env.t.kernel.modules.install('ldap');
  });
  after(async () => {
    await env?.close();
    await dir?.close();
  });

  it('adds a server through the form with the preset filled in, and never shows the bind password back', async () => {
    const res = await submit(env.admin, '/admin/ldap/', {
      code: 'corp', name: 'Corp directory', preset: 'openldap', url: dir.url, bindDn: LDAP_SERVICE_DN, bindPassword: LDAP_SERVICE_PASSWORD,
      baseDn: dir.people, groupBaseDn: dir.groups, pageSize: '100', timeoutMs: '5000', nestedDepth: '10', outagePolicy: 'deny', outageDays: '3', departments: 'none', syncMinutes: '60', active: '1', createOnLogin: '1', sort: '100',
      attr_disabled: 'employeeType', attr_disabledMode: 'equals', attr_disabledValue: 'disabled',
    });
    assert.equal(res.status, 302, res.html.slice(0, 300));
    serverId = Number(/\/admin\/ldap\/(\d+)\//.exec(res.location ?? '')?.[1]);
    const server = await env.t.kernel.api('ldap').getServer({ userId: null, groupIds: [], isAdmin: true }, serverId);
    assert.equal(server.userFilter, '(objectClass=inetOrgPerson)', 'the preset');
    assert.deepEqual(server.attributes.login, ['uid']);
    const form = await page(env.admin, `/admin/ldap/${serverId}/`);
    assert.equal(form.status, 200);
    assert.ok(!form.html.includes(LDAP_SERVICE_PASSWORD));
    assert.match(form.html, /A password is stored/);
  });

  it('shows a refused form with the reason, a 4xx and nothing saved', async () => {
    const res = await submit(env.admin, '/admin/ldap/', { code: 'bad', url: 'http://example.com', baseDn: 'dc=x', preset: 'openldap' });
    assert.equal(res.status, 400);
    assert.match(res.html, /role="alert"[^>]*>[^<]*url must be ldap:\/\//);
    const filter = await submit(env.admin, '/admin/ldap/', { code: 'bad2', url: dir.url, baseDn: 'dc=x', preset: 'openldap', userFilter: '(uid=*' });
    assert.equal(filter.status, 400);
    const taken = await submit(env.admin, '/admin/ldap/', { ...formFields(), code: 'corp' });
    assert.equal(taken.status, 409);
    assert.match(alertText(taken.html), /^LDAP server code (&quot;|&#34;|")corp\1 is already used$/);
    assert.equal((await env.t.kernel.api('ldap').listServers({ userId: null, groupIds: [], isAdmin: true })).length, 1);
  });

  it('tests the connection, maps a group, edits the map and syncs by hand; the sync log lists the run', async () => {
    const test = await submit(env.admin, `/admin/ldap/${serverId}/test/`);
    assert.equal(test.status, 200);
    assert.match(test.html, /Connection works[^<]*user00/);
    const group = await env.t.kernel.groups.create({ code: 'ldap_staff', name: 'Staff from LDAP' });
    const mapped = await submit(env.admin, `/admin/ldap/${serverId}/maps/`, { ldapGroup: dir.groupDn('staff'), groupId: String(group.id) });
    assert.equal(mapped.status, 302);
    const ban = await submit(env.admin, `/admin/ldap/${serverId}/maps/`, { ldapGroup: dir.groupDn('banned'), ban: '1' });
    assert.equal(ban.status, 302);
    const form = await page(env.admin, `/admin/ldap/${serverId}/`);
    assert.match(form.html, /Staff from LDAP/);
    assert.match(form.html, /Ban: block its members/);
    const sync = await submit(env.admin, `/admin/ldap/${serverId}/sync/`);
    assert.equal(sync.status, 200);
    assert.match(sync.html, /Sync finished: created \d+/);
    assert.ok((await env.t.kernel.groups.members(group.id)).length >= 2);
    const log = await page(env.admin, '/admin/ldap/runs/');
    assert.equal(log.status, 200);
    assert.match(log.html, /<td>admin<\/td>/);
    const maps = await env.t.kernel.api('ldap').groupMaps({ userId: null, groupIds: [], isAdmin: true }, serverId);
    const removed = await submit(env.admin, `/admin/ldap/${serverId}/maps/${maps[1]!.id}/delete/`);
    assert.equal(removed.status, 302);
    assert.equal((await env.t.kernel.api('ldap').groupMaps({ userId: null, groupIds: [], isAdmin: true }, serverId)).length, 1);
  });

  it('edits the attribute map through the form, and the next sync fills the fields from it', async () => {
    const ADMIN = { userId: null, groupIds: [], isAdmin: true };
    const fields = { ...formFields(), attr_name: 'givenName', attr_lastName: 'sn', attr_position: 'cn', attr_phone: 'employeeNumber' };
    const refused = await submit(env.admin, `/admin/ldap/${serverId}/`, { ...fields, attr_position: 'not an attribute!' });
    assert.equal(refused.status, 400);
    assert.match(refused.html, /attributes\.position must be an attribute name/);
    assert.equal((await env.t.kernel.api('ldap').getServer(ADMIN, serverId)).attributes.position, 'title', 'nothing saved');
    const saved = await submit(env.admin, `/admin/ldap/${serverId}/`, fields);
    assert.equal(saved.status, 302);
    const form = await page(env.admin, `/admin/ldap/${serverId}/`);
    assert.match(form.html, /name="attr_position"[^>]*value="cn"|value="cn"[^>]*name="attr_position"/);
    await dir.modify(dir.userDn('user001'), 'add', 'employeeNumber', ['+7 495 000-00-01']);
    const sync = await submit(env.admin, `/admin/ldap/${serverId}/sync/`);
    assert.match(sync.html, /Sync finished: created \d+, updated [1-9]/);
    const user = (await env.t.kernel.users.findByLogin('user001'))!;
    assert.equal(user.position, 'Given1 Family1', 'position from cn');
    assert.equal(user.phone, '+7 495 000-00-01', 'phone from employeeNumber');
    assert.equal(user.name, 'Given1');
  });

  it('reports a failed connection test without a 500', async () => {
    await submit(env.admin, `/admin/ldap/${serverId}/`, { ...formFields(), bindPassword: 'wrong password' });
    const test = await submit(env.admin, `/admin/ldap/${serverId}/test/`);
    assert.equal(test.status, 200);
    assert.match(test.html, /Connection failed/);
    const sync = await submit(env.admin, `/admin/ldap/${serverId}/sync/`);
    assert.equal(sync.status, 502);
    assert.match(sync.html, /nobody was changed/);
    assert.match((await page(env.admin, '/admin/ldap/runs/')).html, /<td>The directory failed during the sync, nobody was changed: Code: 0x31<\/td>/);
    await submit(env.admin, `/admin/ldap/${serverId}/`, { ...formFields(), bindPassword: LDAP_SERVICE_PASSWORD });
  });

  it('speaks Russian to a Russian admin: a refused form, a taken code, a failed test, sync and sync log', async () => {
    const boss = (await env.t.kernel.users.findByLogin('boss'))!;
    await env.t.kernel.users.update(boss.id, { language: 'ru' });
    const english = /\b(must|required|already used|Connection|failed|nobody|directory|refused|valid)\b/i;
    try {
      const bad = await submit(env.admin, '/admin/ldap/', { code: 'bad', url: 'http://example.com', baseDn: 'dc=x', preset: 'openldap' });
      assert.equal(bad.status, 400);
      assert.equal(alertText(bad.html), '«Адрес (ldap:// или ldaps://)»: адрес должен иметь вид ldap://сервер:порт или ldaps://сервер:порт');
      const filter = await submit(env.admin, '/admin/ldap/', { ...formFields(), code: 'bad2', userFilter: '(=x)' });
      assert.equal(filter.status, 400);
      assert.match(alertText(filter.html), /^«Фильтр пользователей»: фильтр LDAP записан неверно \(/);
      const attribute = await submit(env.admin, `/admin/ldap/${serverId}/`, { ...formFields(), attr_position: 'not an attribute!' });
      assert.equal(attribute.status, 400);
      assert.equal(alertText(attribute.html), '«Должность»: нужно имя атрибута (латинские буквы, цифры, дефис) или OID');
      const taken = await submit(env.admin, '/admin/ldap/', { ...formFields(), code: 'corp' });
      assert.equal(taken.status, 409);
      assert.equal(alertText(taken.html), 'Код сервера «corp» уже занят');
      const works = await submit(env.admin, `/admin/ldap/${serverId}/test/`);
      assert.match(works.html, /Подключение работает: соединение с ldap:\/\/[^<]* установлено, вход выполнен как [^<]*Найдены пользователи: user00/);
      await submit(env.admin, `/admin/ldap/${serverId}/`, { ...formFields(), bindPassword: 'wrong password' });
      const test = await submit(env.admin, `/admin/ldap/${serverId}/test/`);
      assert.equal(test.status, 200);
      const failed = alertText(test.html);
      assert.match(failed, /^Подключиться не удалось: ответ сервера каталога: DN или пароль подключения отклонены \(Code: 0x31\)$/, 'the directory\'s own text inside a Russian sentence');
      const sync = await submit(env.admin, `/admin/ldap/${serverId}/sync/`);
      assert.equal(sync.status, 502);
      const aborted = alertText(sync.html);
      assert.match(aborted, /^Синхронизация прервана, никто не изменён: сбой каталога во время синхронизации: DN или пароль подключения отклонены/);
      const log = (await page(env.admin, '/admin/ldap/runs/')).html;
      assert.match(log, /<td>Синхронизация прервана, никто не изменён: сбой каталога во время синхронизации: DN или пароль подключения отклонены \(Code: 0x31\)<\/td>/);
      assert.doesNotMatch(log, /nobody was changed/, 'earlier runs in Russian too');
      for (const text of [alertText(bad.html), alertText(filter.html), alertText(attribute.html), alertText(taken.html), failed, aborted]) {
        assert.match(text, /[а-яё]/i);
        assert.doesNotMatch(text, english, text);
      }
    } finally {
      await env.t.kernel.users.update(boss.id, { language: null });
      await submit(env.admin, `/admin/ldap/${serverId}/`, { ...formFields(), bindPassword: LDAP_SERVICE_PASSWORD });
    }
    assert.equal((await env.t.kernel.api('ldap').listServers({ userId: null, groupIds: [], isAdmin: true })).length, 1, 'nothing saved');
  });

  it('keeps the screens from viewers and users, and wants the CSRF token', async () => {
    await assertDenied(env, env.viewer, 'GET', '/admin/ldap/');
    await assertDenied(env, env.viewer, 'POST', `/admin/ldap/${serverId}/sync/`);
    await assertDenied(env, env.user, 'GET', '/admin/ldap/runs/');
    await assertCsrfRequired(env.admin, `/admin/ldap/${serverId}/delete/`);
  });

  it('removes a server after confirmation', async () => {
    const confirm = await page(env.admin, `/admin/ldap/${serverId}/delete/`);
    assert.match(confirm.html, /The portal users it made stay/);
    const res = await submit(env.admin, `/admin/ldap/${serverId}/delete/`);
    assert.equal(res.status, 302);
    assert.equal((await page(env.admin, `/admin/ldap/${serverId}/`)).status, 404);
  });

  function formFields(): Record<string, string> {
    return {
      name: 'Corp directory', preset: 'openldap', url: dir.url, bindDn: LDAP_SERVICE_DN, baseDn: dir.people, groupBaseDn: dir.groups, userFilter: '(objectClass=inetOrgPerson)',
      groupFilter: '(objectClass=groupOfNames)', memberAttribute: 'member', nested: 'expand', pageSize: '100', timeoutMs: '5000', nestedDepth: '10', outagePolicy: 'deny',
      outageDays: '3', departments: 'none', syncMinutes: '60', active: '1', createOnLogin: '1', sort: '100', attr_uuid: 'entryUUID', attr_login: 'uid', attr_email: 'mail',
      attr_disabled: 'employeeType', attr_disabledMode: 'equals', attr_disabledValue: 'disabled',
    };
  }
});
