import { defineErrors } from '../../../core/errors/portal-error.js';
import type { ModuleContext } from '../../../core/modules/types.js';
import type { Principal } from '../../../core/services.js';
import type { Element, Filter } from '../../../modules/infoblocks/types.js';
import { KB_IBLOCK, SYSTEM, TOPICS } from './install.js';

export type Topic = (typeof TOPICS)[number];

export interface Article {
  id: number;
  question: string;
  answer: string;
  topic: Topic;
  helpful: number;
  url: string;
}

export const kbErrors = defineErrors({
  KB_TOPIC_UNKNOWN: { status: 400, message: (t) => `Unknown topic "${t}"; use one of ${TOPICS.join(', ')}` },
});

/**
 * The knowledge base API. Every call passes the caller's principal on to the infoblocks API,
 * so the infoblock's rights apply (a reader cannot add, a stranger to a closed infoblock
 * cannot read) without a rights check of our own.
 */
export function createKbApi(ctx: ModuleContext) {
  const ib = () => ctx.kernel.api('infoblocks');
  // Ids are looked up through the API (cached there), never from the infoblocks tables.
  const iblockId = async () => (await ib().iblocks.getByCode(SYSTEM, KB_IBLOCK)).id;
  const topicEnum = async (topic: string) => {
    const prop = (await ib().properties.list(SYSTEM, await iblockId())).find((p) => p.code === 'TOPIC')!;
    const value = prop.enums.find((e) => e.xmlId === topic);
    if (!value) throw kbErrors.KB_TOPIC_UNKNOWN(topic);
    return { prop, value };
  };
  const toArticle = async (e: Element): Promise<Article> => {
    const { prop } = await topicEnum('general');
    const topic = prop.enums.find((x) => x.id === e.properties.TOPIC)?.xmlId ?? 'general';
    return { id: e.id, question: e.name, answer: e.detailText, topic: topic as Topic, helpful: Number(e.properties.HELPFUL ?? 0), url: e.detailUrl };
  };

  return {
    async add(principal: Principal, input: { question: string; answer: string; topic: string; code?: string }): Promise<Article> {
      const { value } = await topicEnum(input.topic);
      const el = await ib().elements.add(principal, await iblockId(), {
        name: input.question,
        code: input.code,
        detailText: input.answer,
        properties: { TOPIC: value.id },
      });
      return toArticle(el);
    },

    /** Articles of a topic or matching a search, most helpful first, in the infoblocks filter grammar. */
    async find(principal: Principal, opts: { topic?: string; search?: string; page?: number } = {}): Promise<{ items: Article[]; total: number }> {
      const filter: Filter = { ACTIVE: 'Y' };
      if (opts.topic) filter.PROPERTY_TOPIC = (await topicEnum(opts.topic)).value.id;
      if (opts.search) filter[0] = { LOGIC: 'OR', '%NAME': opts.search, '%DETAIL_TEXT': opts.search };
      const res = await ib().elements.list(principal, await iblockId(), { filter, order: { PROPERTY_HELPFUL: 'DESC', NAME: 'ASC' }, page: opts.page ?? 1, pageSize: 20 });
      return { items: await Promise.all(res.items.map(toArticle)), total: res.total };
    },

    /** Counts a "this helped me" vote; the reader only needs read rights, so the module writes as the system. */
    async markHelpful(principal: Principal, id: number): Promise<Article> {
      const el = await ib().elements.get(principal, id);
      const updated = await ib().elements.update(SYSTEM, el.id, { properties: { HELPFUL: Number(el.properties.HELPFUL ?? 0) + 1 } });
      return toArticle(updated);
    },
  };
}

export type KbApi = ReturnType<typeof createKbApi>;

declare module '../../../core/modules/types.js' {
  interface ModuleApis {
    kb: KbApi;
  }
}
