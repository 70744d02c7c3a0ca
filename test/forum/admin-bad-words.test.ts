import assert from 'node:assert/strict';
import { badWordsPattern, hideBadWords, parseBadWords } from '../../modules/forum/bad-words.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { ADMIN, alertText, assertCsrfRequired, page, startForumAdminEnv, submit, type ForumAdminEnv } from './admin-harness.js';
import { makeForum } from './setup.js';

describe('forum bad words', () => {
  it('reads one entry a line (commas too), drops repeats, matches whole words in any case and * as any letters', () => {
    assert.deepEqual(parseBadWords(' spam* \n\nДурак, дурак\nspam*\r\nbad word'), ['spam*', 'Дурак', 'bad word']);
    const re = badWordsPattern(parseBadWords('spam*\nдурак\nbad word\na.b'));
    assert.equal(hideBadWords('Spammers spam; ДУРАК, дураки, bad word, badword, a.b, axb', re), '******** ****; *****, дураки, ********, badword, ***, axb');
    assert.equal(hideBadWords('nothing', badWordsPattern([])), 'nothing');
  });
});

describeEachDb('forum admin: the bad-words list', (kind) => {
  let env: ForumAdminEnv;
  let forum: number;
  before(async function () {
    this.timeout(60_000);
    env = await startForumAdminEnv(kind);
    forum = await makeForum(env.t.kernel, env.people, 'Open talk');
  });
  after(async () => env?.close());

  it('saves the list one word a line, shows the count, and a posted message is filtered by it', async () => {
    const empty = await page(env.admin, '/admin/forum/bad-words/');
    assert.equal(empty.status, 200);
    assert.match(empty.html, /In force: 0/);
    const saved = await submit(env.admin, '/admin/forum/bad-words/', { action: 'save', words: 'spam*\nдурак\n\nДУРАК\n', sample: '' });
    assert.deepEqual([saved.status, saved.location], [302, '/admin/forum/bad-words/?done=saved']);
    assert.equal(await env.t.kernel.options.get('forum', 'bad_words'), 'spam*\nдурак');
    const shown = await page(env.admin, saved.location!);
    assert.match(shown.html, /In force: 2/);
    assert.match(shown.html, /<textarea id="words" name="words"[^>]*>spam\*\nдурак<\/textarea>/);

    const ann = await env.as('ann');
    const html = await (await ann.get(`/forum/${forum}/new/`)).text();
    const posted = await ann.post(`/forum/post/topic/${forum}/`, { _csrf: HttpClient.csrfFrom(html), title: 'Spammers here', body: 'Ты дурак, spam and [b]SPAMMY[/b] stuff', back: `/forum/${forum}/new/` });
    assert.equal(posted.status, 303);
    const topicId = Number(/\/forum\/topic\/(\d+)\//.exec(posted.headers.get('location') ?? '')?.[1]);
    const topic = await env.api.topic(ADMIN, topicId);
    assert.equal(topic.title, '******** here');
    const [message] = (await env.api.messages(ADMIN, topicId)).items;
    assert.equal(message!.source, 'Ты дурак, spam and [b]SPAMMY[/b] stuff', 'the source keeps what was written');
    assert.equal(message!.html, 'Ты *****, **** and <strong>******</strong> stuff');
    const reader = await env.as('bob');
    const page1 = await (await reader.get(`/forum/topic/${topicId}/`)).text();
    assert.match(page1, /Ты \*\*\*\*\*, \*\*\*\* and <strong>\*\*\*\*\*\*<\/strong> stuff/);
    assert.doesNotMatch(page1, /дурак/);
  });

  it('previews a sample with the list in the box without saving it', async () => {
    await env.api.badWords.save(ADMIN, 'spam*');
    const res = await submit(env.admin, '/admin/forum/bad-words/', { action: 'preview', words: 'spam*\nfoo', sample: 'Foo and spammer <b>x</b>' });
    assert.equal(res.status, 200);
    assert.match(res.html, /<p id="bad-words-preview">\*\*\* and \*\*\*\*\*\*\* &lt;b&gt;x&lt;\/b&gt;<\/p>/);
    assert.match(res.html, /In force: 1 · in the box: 2/);
    assert.equal(await env.t.kernel.options.get('forum', 'bad_words'), 'spam*', 'a preview stores nothing');
  });

  it('refuses an unusable entry with the form again, keeps the list, and needs forum.manage and CSRF', async () => {
    await env.api.badWords.save(ADMIN, 'spam*');
    const bad = await submit(env.admin, '/admin/forum/bad-words/', { action: 'save', words: 'fine\n*\nalso', sample: '' });
    assert.equal(bad.status, 400);
    assert.match(alertText(bad.html), /&quot;\*&quot; is not a usable word|"\*" is not a usable word/);
    assert.match(bad.html, />fine\n\*\nalso<\/textarea>/, 'what was typed comes back');
    const tooLong = await submit(env.admin, '/admin/forum/bad-words/', { action: 'save', words: 'x'.repeat(51) });
    assert.equal(tooLong.status, 400);
    const tooMany = await submit(env.admin, '/admin/forum/bad-words/', { action: 'save', words: Array.from({ length: 501 }, (_, i) => `word${i}`).join('\n') });
    assert.equal(tooMany.status, 400);
    assert.match(alertText(tooMany.html), /at most 500 words/);
    assert.equal((await submit(env.viewer, '/admin/forum/bad-words/', { action: 'save', words: 'hacked' })).status, 403);
    await assertCsrfRequired(env.admin, '/admin/forum/bad-words/', { action: 'save', words: 'hacked' });
    assert.equal(await env.t.kernel.options.get('forum', 'bad_words'), 'spam*');
  });
});
