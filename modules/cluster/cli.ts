import { Command, Option } from 'commander';
import type { ModuleCliTools } from '../../core/modules/types.js';
import { clusterErrors } from './errors.js';
import { statusLines } from './status-text.js';

const say = (line: string) => void process.stderr.write(`- ${line}\n`);

function port(raw: string | undefined, flag: string): number {
  if (raw === undefined || !/^\d{1,5}$/.test(raw)) throw clusterErrors.CLUSTER_BAD_INPUT(`${flag} must be a TCP port (1-65535), got "${raw ?? ''}"`);
  return Number(raw);
}

/** `portal cluster status|node add|node remove|switchover`. */
export function clusterCli(tools: ModuleCliTools): Command[] {
  const cmd = new Command('cluster').description('cluster: DB primary and replicas, memcached and web nodes (docs/cluster.md)');

  cmd
    .command('status')
    .description('every node and its health: DB primary and replicas, memcached, web nodes')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => {
      const status = await tools.withKernel((kernel) => kernel.api('cluster').status());
      if (flags.json) return tools.printJson(status);
      for (const l of statusLines(status)) tools.line(l);
    });

  const node = cmd.command('node').description('add or remove a node');
  node
    .command('add')
    .description('add a node: db-replica (--url or --local --port) or cache (--host --port)')
    .argument('<kind>', 'db-replica or cache')
    .option('--url <url>', 'db-replica: an empty MariaDB server, mysql://admin:password@host:port')
    .option('--local', 'db-replica: start a new mariadbd on this machine (var/cluster/mariadb-<port>)')
    .option('--port <port>', 'db-replica --local: its port; cache: the memcached port')
    .option('--host <host>', 'cache: the memcached host')
    .addOption(new Option('--weight <n>', 'db-replica: share of reads (1-1000)').default('100'))
    .action(async (kind: string, flags: { url?: string; local?: boolean; port?: string; host?: string; weight: string }) => {
      if (kind !== 'cache' && kind !== 'db-replica') throw clusterErrors.CLUSTER_BAD_INPUT(`node add takes db-replica or cache, got "${kind}" (web nodes: see docs/cluster.md)`);
      if (kind === 'cache') {
        if (!flags.host) throw clusterErrors.CLUSTER_BAD_INPUT('node add cache needs --host H --port P');
        const added = await tools.withKernel((kernel) => kernel.api('cluster').addCacheNode(flags.host!, port(flags.port, '--port')));
        return tools.line(`Node ${added.id}: memcached ${added.address} added.`);
      }
      if (flags.local && flags.url) throw clusterErrors.CLUSTER_BAD_INPUT('give either --url or --local --port, not both');
      if (!flags.local && !flags.url) throw clusterErrors.CLUSTER_BAD_INPUT('node add db-replica needs --url mysql://user:password@host:port or --local --port P');
      const weight = /^\d{1,4}$/.test(flags.weight) ? Number(flags.weight) : NaN;
      const added = await tools.withKernel((kernel) =>
        kernel.api('cluster').addReplica(flags.local ? { localPort: port(flags.port, '--port'), weight } : { url: flags.url, weight }, say),
      );
      tools.line(`Node ${added.id}: replica ${added.address} added (weight ${added.weight}, ramping).`);
    });
  node
    .command('remove <id>')
    .description('remove a node (refused for the primary and the last memcached node)')
    .action(async (id: string) => {
      const removed = await tools.withKernel((kernel) => kernel.api('cluster').removeNode(id));
      tools.line(`Node ${removed.id} (${removed.kind} ${removed.address}) removed.`);
    });

  cmd
    .command('switchover')
    .description('make a replica the primary: the old one goes read_only, waits, and replicates from the new one')
    .requiredOption('--to <replica>', 'the replica: node id or host:port')
    .action(async (flags: { to: string }) => {
      const r = await tools.withKernel((kernel) => kernel.api('cluster').switchover(flags.to, say));
      tools.line(`Switched over: ${r.to} is the primary (at ${r.gtid}); ${r.repointed.join(', ')} replicate from it; ${r.interrupted} waiting write(s) sent back to retry.`);
    });

  return [cmd];
}
