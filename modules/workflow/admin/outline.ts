import { children, type Activity, type Assignee, type TemplateDefinition } from '../schema.js';

/** One line of a template's outline: its depth, what it is (an activity type or a branch key) and its details. */
export interface OutlineRow {
  depth: number;
  /** An activity type (`approve`), or a branch of the one above (`onApprove`, `then`, `branches.1`, `state`). */
  kind: string;
  branch: boolean;
  /** The activity's own text (its title, a state's name), as the template gives it. */
  title: string;
  /** Short facts in the template's own terms: assignees, quorum, deadline, fields, delay. */
  facts: string[];
}

/** The activities tree of a template as indented rows, for the editor's outline (server-rendered, no script). */
export function outlineOf(def: TemplateDefinition): OutlineRow[] {
  const rows: OutlineRow[] = [];
  const list = (items: Activity[], depth: number) => {
    for (const a of items) {
      rows.push({ depth, kind: a.type, branch: false, title: titleOf(a), facts: factsOf(a) });
      for (const [key, kids] of children(a)) {
        if (!kids.length) continue;
        rows.push({ depth: depth + 1, kind: key.join('.'), branch: true, title: '', facts: [] });
        list(kids, depth + 2);
      }
    }
  };
  if (def.root.type === 'sequence') list(def.root.activities, 0);
  else {
    for (const [name, st] of Object.entries(def.root.states)) {
      rows.push({ depth: 0, kind: 'state', branch: true, title: name, facts: name === def.root.initial ? ['initial'] : [] });
      list(st.activities, 1);
    }
  }
  return rows;
}

function titleOf(a: Activity): string {
  if ('title' in a && typeof a.title === 'string') return a.title;
  if (a.type === 'sendMail') return a.subject;
  if (a.type === 'setState') return a.state;
  if (a.type === 'setStatus') return a.status;
  if (a.type === 'setVariable') return a.name;
  return '';
}

function who(list: Assignee[]): string {
  return list.map((x) => ('user' in x ? `user:${x.user}` : 'group' in x ? `group:${x.group}` : 'author' in x ? 'author' : 'departmentHead')).join(', ');
}

function factsOf(a: Activity): string[] {
  switch (a.type) {
    case 'approve': {
      const facts = [who(a.assignees), `quorum:${typeof a.quorum === 'string' ? a.quorum : `${a.quorum.percent}%`}`];
      if (a.deadline) facts.push(`deadline:${a.deadline.after}`, ...(a.deadline.escalate ?? (a.deadline.escalateTo ? [{ to: a.deadline.escalateTo }] : [])).map((l, i) => `level ${i + 1}: ${who(l.to)}`), `then:${a.deadline.then ?? 'reject'}`);
      return facts;
    }
    case 'review': return [who(a.assignees)];
    case 'request': return [who(a.assignees), `fields:${a.fields.map((f) => f.name).join(', ')}`];
    case 'sendMail': return [typeof a.to === 'string' ? a.to : who(a.to)];
    case 'setField': return Object.keys(a.fields);
    case 'delay': return [String(a.for)];
    case 'while': return [`max ${a.maxIterations}`];
    default: return [];
  }
}
