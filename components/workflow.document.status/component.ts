import { defineComponent } from '../../core/components/types.js';
import { readQuery } from '../../core/components/request.js';
import { datesFor } from '../../core/time/date-format.js';

/**
 * The status and history panel of an infoblock element under the classic workflow: its status and the moves the
 * visitor may make, the draft of a published element, the edit lock (who holds it, until when), every version with
 * the changes against the one before it and a restore button, and the business processes on the element.
 */
export default defineComponent({
  name: 'workflow.document.status',
  title: { en: 'Workflow: document status and history', ru: 'Документооборот: статус и история документа' },
  params: {
    elementId: { type: 'number', integer: true, min: 0, default: 0, title: { en: 'Element id (0: from ?element= in the URL)', ru: 'ID элемента (0 — из ?element= в адресе)' } },
    back: { type: 'string', maxLength: 500, default: '', title: { en: 'Page to return to after an action (empty: the panel’s page)', ru: 'Куда вернуться после действия (пусто — на страницу панели)' } },
    versions: { type: 'number', integer: true, min: 1, max: 100, default: 10, title: { en: 'Versions shown', ru: 'Сколько версий показать' } },
  },
  request: (query) => readQuery(query, { element: { type: 'number', integer: true, min: 1, max: 2 ** 40 } }),
  async prepare({ kernel, params, state, request }) {
    const wf = kernel.api('workflow');
    const p = state.principal;
    const id = String(params.elementId || Number(request.element) || 0);
    const el = await kernel.api('infoblocks').elements.get(p, Number(id));
    const s = wf.statuses;
    const st = await s.state('infoblocks.element', id) ?? (await s.ensure(el));
    const all = await s.list();
    const dates = datesFor(state);
    const history = await s.history(p, id);
    const shown = history.slice(0, params.versions);
    const logins = await kernel.users.loginsOf([...new Set([...history.map((v) => v.createdBy), st.lockedBy].filter((x): x is number => x !== null))]);
    const { diffSnapshots } = await import('../../modules/workflow/statuses/snapshot.js');
    const lang = state.language === 'ru' ? 'ru' : 'en';
    const now = Date.now();
    const locked = st.lockedBy !== null && (st.lockedUntil?.getTime() ?? 0) > now;
    return {
      id, name: el.name, back: params.back || `/workflow/element/?element=${id}`,
      status: { code: st.status.code, name: st.status.names[lang], published: st.status.published },
      livePublished: st.livePublished, hasDraft: st.hasDraft,
      lock: locked ? { mine: st.lockedBy === p.userId, by: logins.get(st.lockedBy!) ?? String(st.lockedBy), until: { iso: st.lockedUntil!.toISOString(), text: dates.dateTime(st.lockedUntil!) } } : null,
      moves: all.filter((x) => x.id !== st.status.id && s.may(p, x, 'canMove')).map((x) => ({ code: x.code, name: x.names[lang] })),
      canEdit: s.may(p, st.status, 'canEdit'),
      versions: shown.map((v, i) => ({
        number: v.number, kind: v.kind, status: all.find((x) => x.code === v.status)?.names[lang] ?? v.status, by: v.createdBy === null ? '' : logins.get(v.createdBy) ?? String(v.createdBy),
        at: { iso: v.createdAt.toISOString(), text: dates.dateTime(v.createdAt) },
        changes: history[i + 1] ? diffSnapshots(history[i + 1]!.data, v.data).map((c) => ({ field: c.field, before: short(c.before), after: short(c.after) })) : [],
      })),
      processes: (await wf.instances.forDocument(p, 'infoblocks.element', id)).map((i) => ({ id: i.id, name: i.templateName, status: i.status })),
    };
  },
});

const short = (v: unknown): string => {
  const s = typeof v === 'string' ? v : JSON.stringify(v ?? null);
  return s.length > 120 ? `${s.slice(0, 117)}…` : s;
};
