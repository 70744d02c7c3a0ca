import { z } from 'zod';
import { wfErrors } from './errors.js';

/**
 * The template format (docs/workflow.md): JSON checked by this schema. A template has a sequential root (`sequence`)
 * or a state-machine root (`stateMachine`); activities nest in `activities`, branches and loop bodies.
 */
const id = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'must start with a letter and hold only letters, digits, _ and -');
const duration = z.union([z.number().int().min(0), z.string().regex(/^\d+\s*[smhd]$/, 'must be seconds or like "30m", "2h", "3d"')]);

export const assigneeSchema = z.union([
  z.object({ user: z.union([z.number().int().positive(), z.string().min(1).max(100)]) }).strict(),
  z.object({ group: z.string().min(1).max(100) }).strict(),
  z.object({ author: z.literal(true) }).strict(),
  z.object({ departmentHead: z.literal(true) }).strict(),
]);
export type Assignee = z.infer<typeof assigneeSchema>;

export const quorumSchema = z.union([z.literal('any'), z.literal('all'), z.object({ percent: z.number().min(1).max(100) }).strict()]);
export type Quorum = z.infer<typeof quorumSchema>;

const formFieldSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'must be a letter followed by letters, digits or _'),
    label: z.string().min(1).max(200),
    type: z.enum(['string', 'text', 'number', 'date', 'boolean']).default('string'),
    required: z.boolean().default(false),
  })
  .strict();
export type FormField = z.infer<typeof formFieldSchema>;

const base = { id: id.optional(), title: z.string().max(200).optional() };

export type Activity =
  | { type: 'approve'; id?: string; title?: string; description?: string; assignees: Assignee[]; quorum: Quorum; deadline?: { after: number | string; escalateTo?: Assignee[]; escalate?: EscalationLevel[]; then?: 'approve' | 'reject' }; onApprove: Activity[]; onReject: Activity[] }
  | { type: 'review'; id?: string; title?: string; description?: string; assignees: Assignee[]; quorum: Quorum }
  | { type: 'request'; id?: string; title?: string; description?: string; assignees: Assignee[]; fields: FormField[] }
  | { type: 'setField'; id?: string; title?: string; fields: Record<string, unknown> }
  | { type: 'setStatus'; id?: string; title?: string; status: string }
  | { type: 'sendMail'; id?: string; title?: string; to: Assignee[] | string; subject: string; body: string }
  | { type: 'if'; id?: string; title?: string; condition: Record<string, unknown>; then: Activity[]; else: Activity[] }
  | { type: 'parallel'; id?: string; title?: string; branches: Activity[][] }
  | { type: 'delay'; id?: string; title?: string; for: number | string }
  | { type: 'while'; id?: string; title?: string; condition: Record<string, unknown>; body: Activity[]; maxIterations: number }
  | { type: 'setVariable'; id?: string; title?: string; name: string; value: unknown }
  | { type: 'setState'; id?: string; title?: string; state: string }
  | { type: 'terminate'; id?: string; title?: string };

/** One level of a deadline's escalation path: who gets the task, and how long they have (default: the deadline's `after`). */
export interface EscalationLevel {
  to: Assignee[];
  after?: number | string;
}

/** A deadline's escalation levels in order (`escalateTo` is one level with the deadline's own time). */
export function escalationLevels(d: { after: number | string; escalateTo?: Assignee[]; escalate?: EscalationLevel[] }): { to: Assignee[]; after: number | string }[] {
  if (d.escalate) return d.escalate.map((l) => ({ to: l.to, after: l.after ?? d.after }));
  return d.escalateTo ? [{ to: d.escalateTo, after: d.after }] : [];
}

const list: z.ZodType<Activity[]> = z.lazy(() => z.array(activitySchema).max(200));
const activitySchema: z.ZodType<Activity> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.object({ ...base, type: z.literal('approve'), description: z.string().max(4000).optional(), assignees: z.array(assigneeSchema).min(1), quorum: quorumSchema.default('any'), deadline: z.object({ after: duration, escalateTo: z.array(assigneeSchema).min(1).optional(), escalate: z.array(z.object({ to: z.array(assigneeSchema).min(1), after: duration.optional() }).strict()).min(1).max(10).optional(), then: z.enum(['approve', 'reject']).optional() }).strict().refine((d) => !(d.escalateTo && d.escalate), 'give either escalateTo (one level) or escalate (a list of levels), not both').optional(), onApprove: list.default([]), onReject: list.default([]) }).strict(),
    z.object({ ...base, type: z.literal('review'), description: z.string().max(4000).optional(), assignees: z.array(assigneeSchema).min(1), quorum: quorumSchema.default('all') }).strict(),
    z.object({ ...base, type: z.literal('request'), description: z.string().max(4000).optional(), assignees: z.array(assigneeSchema).min(1), fields: z.array(formFieldSchema).min(1).max(30) }).strict(),
    z.object({ ...base, type: z.literal('setField'), fields: z.record(z.string().min(1).max(100), z.unknown()).refine((v) => Object.keys(v).length > 0, 'must name at least one field') }).strict(),
    z.object({ ...base, type: z.literal('setStatus'), status: z.string().min(1).max(50) }).strict(),
    z.object({ ...base, type: z.literal('sendMail'), to: z.union([z.array(assigneeSchema).min(1), z.string().min(3).max(500)]), subject: z.string().min(1).max(500), body: z.string().max(20000) }).strict(),
    z.object({ ...base, type: z.literal('if'), condition: z.record(z.string(), z.unknown()), then: list.default([]), else: list.default([]) }).strict(),
    z.object({ ...base, type: z.literal('parallel'), branches: z.array(list).min(2).max(20) }).strict(),
    z.object({ ...base, type: z.literal('delay'), for: duration }).strict(),
    z.object({ ...base, type: z.literal('while'), condition: z.record(z.string(), z.unknown()), body: list, maxIterations: z.number().int().min(1).max(1000).default(100) }).strict(),
    z.object({ ...base, type: z.literal('setVariable'), name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/), value: z.unknown() }).strict(),
    z.object({ ...base, type: z.literal('setState'), state: id }).strict(),
    z.object({ ...base, type: z.literal('terminate') }).strict(),
  ]) as unknown as z.ZodType<Activity>,
);

const rootSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('sequence'), activities: list }).strict(),
  z.object({ type: z.literal('stateMachine'), initial: id, states: z.record(id, z.object({ title: z.string().max(200).optional(), activities: list.default([]), final: z.boolean().default(false) }).strict()) }).strict(),
]);

export const templateSchema = z
  .object({
    code: z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, 'must be lower-case latin letters, digits, _ or -, starting with a letter'),
    name: z.string().min(1).max(200),
    description: z.string().max(4000).default(''),
    document: z.object({ type: z.string().min(1).max(100), scope: z.string().max(100).nullable().default(null) }).strict(),
    autoStart: z.object({ onCreate: z.boolean().default(false), onEdit: z.boolean().default(false) }).strict().default({ onCreate: false, onEdit: false }),
    active: z.boolean().default(true),
    root: rootSchema,
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.root.type !== 'stateMachine') return;
    const states = t.root.states;
    if (!Object.hasOwn(states, t.root.initial)) ctx.addIssue({ code: 'custom', path: ['root', 'initial'], message: `names no state ("${t.root.initial}")` });
    for (const [name, st] of Object.entries(states)) {
      walk(st.activities, ['root', 'states', name, 'activities'], (a, path) => {
        if (a.type === 'setState' && !Object.hasOwn(states, a.state)) ctx.addIssue({ code: 'custom', path: [...path, 'state'], message: `names no state ("${a.state}")` });
      });
    }
  })
  .superRefine((t, ctx) => {
    const seen = new Set<string>();
    const acts = t.root.type === 'sequence' ? [[t.root.activities, ['root', 'activities']] as const] : Object.entries(t.root.states).map(([n, s]) => [s.activities, ['root', 'states', n, 'activities']] as const);
    for (const [a, p] of acts)
      walk(a, [...p], (act, path) => {
        if (!act.id) return;
        if (seen.has(act.id)) ctx.addIssue({ code: 'custom', path: [...path, 'id'], message: `"${act.id}" is used twice` });
        seen.add(act.id);
        if (act.type === 'setState' && t.root.type !== 'stateMachine') ctx.addIssue({ code: 'custom', path: [...path, 'type'], message: 'setState works only under a state-machine root' });
      });
  });

export type TemplateDefinition = z.output<typeof templateSchema>;
export type TemplateInput = z.input<typeof templateSchema>;

/** Calls `fn` for every activity with its path, children first-order. */
export function walk(list: Activity[], path: (string | number)[], fn: (a: Activity, path: (string | number)[]) => void): void {
  list.forEach((a, i) => {
    const p = [...path, i];
    fn(a, p);
    for (const [key, kids] of children(a)) walk(kids, [...p, ...key], fn);
  });
}

/** The nested activity lists of one activity, each with its key path below it. */
export function children(a: Activity): [(string | number)[], Activity[]][] {
  switch (a.type) {
    case 'approve': return [[['onApprove'], a.onApprove], [['onReject'], a.onReject]];
    case 'if': return [[['then'], a.then], [['else'], a.else]];
    case 'while': return [[['body'], a.body]];
    case 'parallel': return a.branches.map((b, i) => [['branches', i], b]);
    default: return [];
  }
}

export interface SchemaProblem {
  path: string;
  message: string;
}

/** Problems of a template as "root.activities.0.quorum: ..." lines; empty when valid. */
export function templateProblems(input: unknown): SchemaProblem[] {
  const res = templateSchema.safeParse(input);
  if (res.success) return [];
  return res.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(template)', message: i.message }));
}

/** The parsed template, or WORKFLOW_TEMPLATE_INVALID (400) listing every problem by path. */
export function parseTemplate(input: unknown): TemplateDefinition {
  const res = templateSchema.safeParse(input);
  if (res.success) return res.data;
  const problems = res.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(template)', message: i.message }));
  throw wfErrors.WORKFLOW_TEMPLATE_INVALID(problems.map((p) => `${p.path}: ${p.message}`).join('; '), { problems });
}

/** Seconds of a duration ("30m", "2h", "3d" or a number of seconds). */
export function seconds(d: number | string): number {
  if (typeof d === 'number') return d;
  const m = /^(\d+)\s*([smhd])$/.exec(d)!;
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 's' | 'm' | 'h' | 'd'];
}

/** Typed helper for templates written in TypeScript (validated when saved, like JSON ones). */
export function defineTemplate(t: TemplateInput): TemplateInput {
  return t;
}
