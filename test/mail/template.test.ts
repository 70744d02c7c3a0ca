import assert from 'node:assert/strict';
import { isEmailAddress, parseAddressList } from '../../core/mail/addresses.js';
import { escapeHtml, placeholders, renderMail, stripHeaderBreaks, substitute } from '../../core/mail/template.js';

describe('mail templates', () => {
  it('replaces #FIELD# with values and unknown fields with nothing', () => {
    assert.equal(substitute('Hi #NAME#, #MISSING#you have #COUNT# new', { NAME: 'Анна', COUNT: 3 }), 'Hi Анна, you have 3 new');
  });

  it('leaves text that is not a placeholder alone', () => {
    assert.equal(substitute('issue #12 and #lower# and ## and #1A#', { lower: 'x' }), 'issue #12 and #lower# and ## and #1A#');
  });

  it('lists the placeholders a text uses', () => {
    assert.deepEqual(placeholders('#A# #B_2# #A# #c#'), ['A', 'B_2']);
  });

  it('escapes field values in html bodies but not in text bodies', () => {
    const tpl = { emailFrom: 'a@b.c', emailTo: '#EMAIL_TO#', subject: 'S: #NAME#', body: '<p>#NAME#</p>', bodyType: 'html' as const };
    const fields = { EMAIL_TO: 'x@y.z', NAME: '<script>alert("1")</script> & \'co\'' };
    const html = renderMail(tpl, fields);
    assert.equal(html.body, '<p>&lt;script&gt;alert(&quot;1&quot;)&lt;/script&gt; &amp; &#39;co&#39;</p>');
    assert.equal(html.subject, 'S: <script>alert("1")</script> & \'co\'');
    const text = renderMail({ ...tpl, bodyType: 'text' }, fields);
    assert.equal(text.body, `<p>${fields.NAME}</p>`);
  });

  it('keeps header values on one line (no header injection)', () => {
    const tpl = { emailFrom: '#FROM#', emailTo: '#EMAIL_TO#', subject: 'Hello #NAME#', body: 'line1\n#NAME#', bodyType: 'text' as const };
    const out = renderMail(tpl, { FROM: 'a@b.c\r\nBcc: evil@x.y', EMAIL_TO: 'u@v.w\nCc: evil@x.y', NAME: 'Bob\r\nX-Injected: 1' });
    for (const header of [out.from, out.to, out.subject]) assert.doesNotMatch(header, /[\r\n]/);
    assert.equal(out.subject, 'Hello Bob X-Injected: 1');
    assert.equal(out.body, 'line1\nBob\r\nX-Injected: 1', 'bodies keep their line breaks');
    assert.equal(stripHeaderBreaks('a\u2028b\u0000c'), 'a b c');
  });

  it('escapes html special characters', () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

describe('mail address lists', () => {
  it('accepts single addresses, named addresses and lists', () => {
    assert.deepEqual(parseAddressList('a@example.com'), ['a@example.com']);
    assert.deepEqual(parseAddressList('Иван Петров <ivan@example.ru>, b@example.com; c@localhost'), [
      'ivan@example.ru',
      'b@example.com',
      'c@localhost',
    ]);
    assert.deepEqual(parseAddressList('"Doe, John" <john@example.com>'), ['john@example.com']);
    assert.ok(isEmailAddress('user@пример.рф'));
  });

  it('rejects empty lists, bare words, broken addresses and line breaks', () => {
    for (const bad of ['', '   ', 'nobody', 'a@', '@b.c', 'a@b..c', 'a b@c.d', 'a@b.c, nobody', 'a@b.c\r\nBcc: evil@x.y', 'a@-b.c']) {
      assert.equal(parseAddressList(bad), undefined, `"${bad}" must be rejected`);
    }
  });
});
