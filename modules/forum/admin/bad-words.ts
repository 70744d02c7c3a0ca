import type { ModuleRouter } from '../../../core/modules/types.js';
import { done, str } from '../../../core/http/admin-forms.js';
import { MAX_BAD_WORDS, parseBadWords } from '../bad-words.js';
import { BASE, type Ctx, type ForumKit } from './kit.js';

const PATH = `${BASE}bad-words/`;

/**
 * /admin/forum/bad-words/: the option bad_words as one word or pattern a line, with the count and a preview of a
 * sample text filtered by the list in the box (saved or not). Saving needs forum.manage, as the other forum screens.
 */
export function badWordRoutes(router: ModuleRouter, kit: ForumKit): void {
  const manage = kit.change('forum.manage');

  router.get(PATH, ...manage, async (ctx) => {
    const words = await kit.api().badWords.list();
    await renderPage(kit, ctx, { text: words.join('\n'), sample: '', preview: null, saved: words.length });
  });

  router.post(PATH, ...manage, async (ctx) => {
    const body = ctx.request.body;
    const text = str(body, 'words');
    const sample = str(body, 'sample');
    const saved = (await kit.api().badWords.list()).length;
    try {
      if (str(body, 'action') === 'preview') {
        return await renderPage(kit, ctx, { text, sample, preview: kit.api().badWords.preview(text, sample), saved });
      }
      await kit.api().badWords.save(ctx.state.principal, text);
    } catch (err) {
      const e = kit.formError(ctx, err);
      return renderPage(kit, ctx, { text, sample, preview: null, saved }, e.message, e.status);
    }
    done(ctx, PATH, 'saved');
  });
}

interface PageData {
  text: string;
  sample: string;
  preview: string | null;
  /** Entries in force now. */
  saved: number;
}

function renderPage(kit: ForumKit, ctx: Ctx, data: PageData, error: string | null = null, status = 200): Promise<void> {
  return kit.render(ctx, 'bad-words', kit.t(ctx, 'FORUMA_BAD_WORDS'), { ...data, inBox: parseBadWords(data.text).length, max: MAX_BAD_WORDS, error }, status, { breadcrumbs: kit.crumbs(ctx) });
}
