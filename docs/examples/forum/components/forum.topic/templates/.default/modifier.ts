import { defineModifier } from '../../../../../../../core/components/types.js';
import type { Topic } from '../../../../api.js';

/**
 * Runs after prepare and before the template; its output is cached with the HTML.
 * Here: the date as YYYY-MM-DD (UTC) and the body split into paragraphs.
 */
export default defineModifier<Topic & { sectionHref: string; posted?: string; paragraphs?: string[] }>((result) => ({
  ...result,
  posted: new Date(result.createdAt).toISOString().slice(0, 10),
  paragraphs: result.body.split(/\n{2,}/).filter(Boolean),
}));
