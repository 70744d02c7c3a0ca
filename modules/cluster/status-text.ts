import type { ClusterStatus } from './status.js';

const yn = (b: boolean) => (b ? 'Yes' : 'No');

/** `portal cluster status` as plain lines, one node a line. */
export function statusLines(s: ClusterStatus): string[] {
  const out: string[] = [`Registry epoch ${s.epoch}`, '', 'Database'];
  const p = s.database.primary;
  if (!p) out.push('  SQLite, one file: no replicas (move to MariaDB for a cluster)');
  else if (!p.reachable) out.push(`  primary ${p.address}: DOWN (${p.error ?? 'no answer'})`);
  else out.push(`  primary ${p.address}${p.nodeId ? ` [node ${p.nodeId}]` : ''}: server_id ${p.serverId}, ${p.readOnly ? 'READ ONLY, ' : ''}gtid ${p.gtidBinlogPos || '-'}, ${p.version}`);
  for (const r of s.database.replicas) {
    const pool = r.inPool ? `in pool, weight ${r.effectiveWeight}/${r.weight}` : `OUT of pool: ${r.outReason ?? '?'}`;
    const threads = r.reachable ? `IO ${yn(r.ioRunning)}, SQL ${yn(r.sqlRunning)}, lag ${r.lagSeconds ?? 'NULL'} s, gtid ${r.gtidSlavePos || '-'}` : 'unreachable';
    out.push(`  replica ${r.address}${r.nodeId ? ` [node ${r.nodeId}]` : ''} (${r.state}): ${pool}; ${threads}${r.lastError ? `; error: ${r.lastError}` : ''}`);
  }
  if (p) out.push(`  plain reads go to: ${s.database.readsGoTo === 'replicas' ? 'replicas' : s.database.replicas.length ? 'the primary (no replica in the pool)' : 'the primary'}`);
  out.push('', `Cache (${s.cache.driver})`);
  if (!s.cache.nodes.length) out.push('  no memcached nodes');
  for (const c of s.cache.nodes) {
    out.push(c.up ? `  memcached ${c.address}${c.nodeId ? ` [node ${c.nodeId}]` : ''}: up, hits ${c.hits}, misses ${c.misses}, evictions ${c.evictions}, memory ${mb(c.bytes)}/${mb(c.limitBytes)} MB` : `  memcached ${c.address}${c.nodeId ? ` [node ${c.nodeId}]` : ''}: DOWN (${c.error ?? 'no answer'})`);
  }
  out.push('', 'Web nodes');
  if (!s.web.nodes.length) out.push('  none registered (this server only)');
  for (const w of s.web.nodes) out.push(`  web ${w.address} [node ${w.nodeId}]: ${w.state}${w.reason ? ` (${w.reason})` : ''}, release ${w.release ?? '-'}`);
  return out;
}

function mb(bytes: number | undefined): string {
  return bytes === undefined ? '-' : (bytes / 1048576).toFixed(1);
}
