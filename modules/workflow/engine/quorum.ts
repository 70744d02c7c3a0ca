import type { Quorum } from '../schema.js';

export type RoundKind = 'approve' | 'review' | 'request';
export type Outcome = 'approved' | 'rejected' | 'done';

/**
 * The outcome of a round once enough people decided, else null. `any`: the first decision decides; `all`: every
 * assignee approves (one rejection rejects); `{ percent }`: that share approves, rejected once it cannot be reached.
 */
export function outcomeOf(kind: RoundKind, quorum: Quorum, counts: { total: number; yes: number; no: number }): Outcome | null {
  const { total, yes, no } = counts;
  if (kind === 'request') return yes >= 1 ? 'done' : null;
  const need = quorum === 'any' ? 1 : quorum === 'all' ? total : Math.max(1, Math.ceil((total * quorum.percent) / 100));
  if (kind === 'review') return yes >= need ? 'done' : null;
  if (yes >= need) return 'approved';
  if (quorum === 'any' ? no >= 1 : total - no < need) return 'rejected';
  return null;
}

export const quorumText = (q: Quorum): string => (typeof q === 'string' ? q : `${q.percent}%`);
export const parseQuorum = (s: string): Quorum => (s === 'any' || s === 'all' ? s : { percent: Number(s.replace('%', '')) });
