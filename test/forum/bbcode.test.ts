import assert from 'node:assert/strict';
import { renderBbCode } from '../../modules/forum/bbcode.js';

describe('forum BB-code: line breaks around blocks', () => {
  it('a quote, code or list on lines of its own adds no empty lines before, inside or after it', () => {
    assert.equal(renderBbCode('[quote=Ann]\nsaid\n[/quote]\nreply').html, '<blockquote class="forum-quote"><cite>Ann</cite>said</blockquote>reply');
    assert.equal(renderBbCode('[code]\nx = 1\n[/code]\r\nafter').html, '<pre><code>x = 1</code></pre>after');
    assert.equal(renderBbCode('[list]\n[*]a\n[*]b\n[/list]\nz').html, '<ul><li>a</li><li>b</li></ul>z');
  });

  it('keeps the breaks the writer typed: an empty line after a quote, and breaks inside text', () => {
    assert.equal(renderBbCode('[quote]q[/quote]\n\nnext').html, '<blockquote class="forum-quote">q</blockquote><br />next');
    assert.equal(renderBbCode('a\n\nb').html, 'a<br /><br />b');
    assert.equal(renderBbCode('[quote]one\n\ntwo[/quote]').html, '<blockquote class="forum-quote">one<br /><br />two</blockquote>');
  });
});
