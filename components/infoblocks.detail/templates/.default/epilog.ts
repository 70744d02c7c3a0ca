import { defineEpilog } from '../../../../core/components/types.js';

/** On every hit, cached or not: the element's name is the page title, its sections the breadcrumbs. */
export default defineEpilog<{ name: string; trail: { href: string; label: string }[] }>(({ result, page }) => {
  page.setTitle(result.name);
  for (const crumb of result.trail) page.addBreadcrumb(crumb);
});
