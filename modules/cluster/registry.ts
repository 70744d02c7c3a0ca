import type { ModuleDb } from '../../core/db/module-db.js';
import { clusterErrors } from './errors.js';

export const NODE_KINDS = ['db-primary', 'db-replica', 'cache', 'web'] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

/** active: in service; ramping: a new replica whose read weight grows; draining/down: out of service. */
export type NodeState = 'active' | 'ramping' | 'draining' | 'down';

export interface ClusterNode {
  id: number;
  kind: NodeKind;
  /** host:port as the portal reaches it (a web node's may be a path or user@host:path). */
  address: string;
  weight: number;
  state: NodeState;
  reason: string | null;
  /** Kind-specific facts: a replica's server id and local datadir, a web node's release, ramp start. */
  info: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

export interface NewNode {
  kind: NodeKind;
  address: string;
  weight?: number;
  state?: NodeState;
  reason?: string | null;
  info?: Record<string, unknown>;
}

export type NodeChange = Partial<Pick<ClusterNode, 'address' | 'weight' | 'state' | 'reason' | 'info' | 'kind'>>;

type Row = Record<string, unknown>;

export function nodeFromRow(r: Row): ClusterNode {
  return {
    id: Number(r.id),
    kind: String(r.kind) as NodeKind,
    address: String(r.address),
    weight: Number(r.weight),
    state: String(r.state) as NodeState,
    reason: r.reason == null ? null : String(r.reason),
    info: parseInfo(r.info),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

function parseInfo(raw: unknown): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(String(raw ?? '{}'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * The nodes of the cluster, in the portal's main database (so it is replicated with everything else), and an
 * epoch bumped in the same transaction as every change. Reads go to the primary: a registry change must be seen
 * by the next poll, not after a replica's lag.
 */
export class ClusterRegistry {
  constructor(private readonly db: ModuleDb) {}

  async list(kind?: NodeKind): Promise<ClusterNode[]> {
    const q = this.db.write('nodes').select('*').orderBy('id');
    if (kind) q.where({ kind });
    return ((await q) as Row[]).map(nodeFromRow);
  }

  async get(id: number): Promise<ClusterNode | null> {
    const row = (await this.db.write('nodes').where({ id }).first()) as Row | undefined;
    return row ? nodeFromRow(row) : null;
  }

  async epoch(): Promise<number> {
    const row = (await this.db.write('epoch').where({ id: 1 }).first('epoch')) as Row | undefined;
    return Number(row?.epoch ?? 0);
  }

  async add(node: NewNode): Promise<ClusterNode> {
    if (!NODE_KINDS.includes(node.kind)) throw clusterErrors.CLUSTER_BAD_INPUT(`"${node.kind}" is not a node kind (${NODE_KINDS.join(', ')})`);
    const now = Date.now();
    const id = await this.db.transaction(async (tx) => {
      const existing = await tx.table('nodes').where({ kind: node.kind, address: node.address }).first('id');
      if (existing) throw clusterErrors.CLUSTER_NODE_EXISTS(`${node.kind} ${node.address} (node ${String((existing as Row).id)})`);
      const [newId] = await tx.table('nodes').insert({
        kind: node.kind,
        address: node.address,
        weight: node.weight ?? 100,
        state: node.state ?? 'active',
        reason: node.reason ?? null,
        info: JSON.stringify(node.info ?? {}),
        created_at: now,
        updated_at: now,
      });
      await bump(tx.table('epoch'));
      return Number(newId);
    });
    return (await this.get(id))!;
  }

  async update(id: number, change: NodeChange): Promise<ClusterNode> {
    await this.db.transaction(async (tx) => {
      const row: Row = { updated_at: Date.now() };
      for (const key of ['kind', 'address', 'weight', 'state', 'reason'] as const) if (change[key] !== undefined) row[key] = change[key];
      if (change.info !== undefined) row.info = JSON.stringify(change.info);
      const n = await tx.table('nodes').where({ id }).update(row);
      if (!n) throw clusterErrors.CLUSTER_NODE_NOT_FOUND(String(id));
      await bump(tx.table('epoch'));
    });
    return (await this.get(id))!;
  }

  async remove(id: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      const n = await tx.table('nodes').where({ id }).delete();
      if (!n) throw clusterErrors.CLUSTER_NODE_NOT_FOUND(String(id));
      await bump(tx.table('epoch'));
    });
  }
}

function bump(q: ReturnType<ModuleDb['write']>): Promise<unknown> {
  return q.where({ id: 1 }).increment('epoch', 1);
}
