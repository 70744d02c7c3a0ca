import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { assertNoProblems, clickAndLoad, openPage, screenshot, signInThroughForm, type WatchedPage } from '../harness/browser.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { PASSWORD, forumPeople, makeForum, type ForumPeople } from '../forum/setup.js';
import { useBrowser } from './portal.js';

describe('browser: a moderator approves a premoderated post from the queue (forum)', () => {
  const browser = useBrowser();

  describeEachDb('forum moderation', (kind) => {
    let t: TestKernel;
    let server: RunningServer;
    let people: ForumPeople;
    let topicId: number;
    const pages: WatchedPage[] = [];
    before(async function () {
      this.timeout(60_000);
      t = await bootTestKernel(kind);
      await t.kernel.modules.install('forum');
      people = await forumPeople(t.kernel);
      const forum = await makeForum(t.kernel, people, 'Premoderated', { premoderation: true });
      topicId = (await t.kernel.api('forum').createTopic(people.principals.get('mod')!, { forumId: forum, title: 'Office move', body: 'We move on Friday.' })).topic.id;
      server = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
    });
    after(async () => {
      for (const p of pages) await p.context.close();
      await server?.close();
      await t?.close();
    });

    it('the author\'s reply waits, the moderator approves it from the queue, and another reader sees it', async function () {
      this.timeout(90_000);
      const author = await openPage(browser(), server.url);
      pages.push(author);
      await signInThroughForm(author.page, 'ann', PASSWORD);
      await author.page.goto(`/forum/topic/${topicId}/`);
      await author.page.locator('#forum-reply-body').fill('Can we keep the plants?');
      await clickAndLoad(author.page, author.page.getByRole('button', { name: 'Reply', exact: true }));
      assert.match(await author.page.locator('body').innerText(), /Your reply waits for a moderator/);
      assertNoProblems(author);

      const reader = await openPage(browser(), server.url);
      pages.push(reader);
      await signInThroughForm(reader.page, 'bob', PASSWORD);
      await reader.page.goto(`/forum/topic/${topicId}/`);
      assert.doesNotMatch(await reader.page.locator('body').innerText(), /keep the plants/, 'not before a moderator approves it');

      const moderator = await openPage(browser(), server.url);
      pages.push(moderator);
      await signInThroughForm(moderator.page, 'mod', PASSWORD);
      await moderator.page.goto('/admin/forum/moderation/');
      const row = moderator.page.locator('tr', { hasText: 'Can we keep the plants?' });
      assert.equal(await row.count(), 1, 'the reply is in the queue');
      assert.equal(await row.getByRole('link', { name: 'Office move' }).getAttribute('href'), `/forum/topic/${topicId}/#message-${(await t.kernel.api('forum').moderation.queue(people.principals.get('mod')!)).items[0]!.id}`);
      await screenshot(moderator.page, `forum-moderation-queue-${kind}`);
      await clickAndLoad(moderator.page, row.getByRole('button', { name: 'Approve' }));
      assert.equal(new URL(moderator.page.url()).pathname, '/admin/forum/moderation/');
      assert.match(await moderator.page.locator('[role="status"]').innerText(), /Approved: readers see the posts now/);
      assert.match(await moderator.page.locator('body').innerText(), /Nothing waits for a moderator/);
      assertNoProblems(moderator);

      await reader.page.reload();
      assert.match(await reader.page.locator('body').innerText(), /Can we keep the plants\?/);
      assertNoProblems(reader);
    });
  });
});
