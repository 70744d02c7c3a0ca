import type { Outcome, RoundKind } from './quorum.js';

export type InstanceStatus = 'running' | 'completed' | 'terminated' | 'failed';
export type TaskStatus = 'open' | 'done' | 'cancelled' | 'expired';
export type Decision = 'approve' | 'reject' | 'ack' | 'submit';

/** What an instance remembers between steps (JSON in workflow_instances.state). */
export interface InstanceState {
  vars: Record<string, unknown>;
  /** Per activity, keyed by its path ("a.0.onApprove.1", "s.review.0"). */
  nodes: Record<string, NodeState>;
  /** The current state of a state-machine root. */
  current?: string;
}

export interface NodeState {
  done?: boolean;
  round?: number;
  outcome?: Outcome;
  branch?: 'then' | 'else';
  timer?: number;
  iter?: number;
  inBody?: boolean;
}

export interface Instance {
  id: number;
  templateId: number;
  templateCode: string;
  templateName: string;
  documentType: string;
  documentId: string;
  status: InstanceStatus;
  state: InstanceState;
  version: number;
  startedBy: number | null;
  startedAt: Date;
  finishedAt: Date | null;
  error: string | null;
}

export interface Task {
  id: number;
  instanceId: number;
  roundId: number;
  kind: RoundKind;
  title: string;
  description: string;
  fields: { name: string; label: string; type: string; required: boolean }[];
  userId: number;
  status: TaskStatus;
  decision: Decision | null;
  comment: string;
  values: Record<string, unknown> | null;
  createdAt: Date;
  deadlineAt: Date | null;
  completedAt: Date | null;
  documentType: string;
  documentId: string;
}

export interface LogEntry {
  id: number;
  instanceId: number;
  at: Date;
  userId: number | null;
  activity: string | null;
  action: string;
  note: string;
}

export type Row = Record<string, unknown>;

const json = <T>(v: unknown, fallback: T): T => {
  if (v === null || v === undefined || v === '') return fallback;
  try {
    return JSON.parse(String(v)) as T;
  } catch {
    return fallback;
  }
};
const date = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(Number(v)));

export function toTask(r: Row): Task {
  return {
    id: Number(r.id),
    instanceId: Number(r.instance_id),
    roundId: Number(r.round_id),
    kind: String(r.kind) as RoundKind,
    title: String(r.title),
    description: String(r.description ?? ''),
    fields: json(r.fields, []),
    userId: Number(r.user_id),
    status: String(r.status) as TaskStatus,
    decision: (r.decision ?? null) as Decision | null,
    comment: String(r.comment ?? ''),
    values: json(r.values, null),
    createdAt: date(r.created_at)!,
    deadlineAt: date(r.deadline_at),
    completedAt: date(r.completed_at),
    documentType: String(r.document_type ?? ''),
    documentId: String(r.document_id ?? ''),
  };
}

export function toInstance(r: Row): Instance {
  return {
    id: Number(r.id),
    templateId: Number(r.template_id),
    templateCode: String(r.template_code ?? ''),
    templateName: String(r.template_name ?? ''),
    documentType: String(r.document_type),
    documentId: String(r.document_id),
    status: String(r.status) as InstanceStatus,
    state: json(r.state, { vars: {}, nodes: {} }),
    version: Number(r.version),
    startedBy: r.started_by === null || r.started_by === undefined ? null : Number(r.started_by),
    startedAt: date(r.started_at)!,
    finishedAt: date(r.finished_at),
    error: (r.error ?? null) as string | null,
  };
}

export function toLog(r: Row): LogEntry {
  return {
    id: Number(r.id),
    instanceId: Number(r.instance_id),
    at: date(r.at)!,
    userId: r.user_id === null ? null : Number(r.user_id),
    activity: (r.activity ?? null) as string | null,
    action: String(r.action),
    note: String(r.note ?? ''),
  };
}

export { json as parseJson };
