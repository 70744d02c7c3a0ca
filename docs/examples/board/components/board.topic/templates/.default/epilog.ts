import { defineEpilog } from '../../../../../../../core/components/types.js';
import type { Topic } from '../../../../api.js';

/**
 * Runs on every hit, cached or not: counts the view, and gives the page the topic's
 * title and a breadcrumb to its section (from the cached result).
 */
export default defineEpilog<Topic & { sectionHref: string }>(async ({ kernel, result, page }) => {
  await kernel.api('board').countView(result.id);
  page.setTitle(result.title);
  page.addBreadcrumb({ href: result.sectionHref, label: result.sectionTitle });
});
