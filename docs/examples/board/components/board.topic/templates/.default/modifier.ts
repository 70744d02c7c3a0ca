import { defineModifier } from '../../../../../../../core/components/types.js';
import { datesFor } from '../../../../../../../core/time/date-format.js';
import type { Topic } from '../../../../api.js';

/**
 * Runs after prepare and before the template; its output is cached with the HTML.
 * Here: the day it was posted, on the site's clock, and the body split into paragraphs.
 */
export default defineModifier<Topic & { sectionHref: string; posted?: { iso: string; text: string }; paragraphs?: string[] }>((result, { state }) => ({
  ...result,
  posted: { iso: datesFor(state).isoDate(result.createdAt), text: datesFor(state).date(result.createdAt) },
  paragraphs: result.body.split(/\n{2,}/).filter(Boolean),
}));
