import { defineEpilog } from '../../../../../../../core/components/types.js';

/** The section's name becomes the page title (from the cached result, on every hit). */
export default defineEpilog<{ section: { title: string } }>(({ result, page }) => {
  page.setTitle(result.section.title);
});
