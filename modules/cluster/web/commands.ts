import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { intOption } from '../../../cli/utils/parse.js';
import { addWebNode } from './add-node.js';
import { deploy } from './deploy.js';
import { nginxConfig } from './nginx-config.js';
import type { WebDeps } from './types.js';

/** The deps, or a function that makes them once a command runs (a kernel, the registry). */
export type WebDepsSource = WebDeps | (() => Promise<WebDeps>);

const resolve = (deps: WebDepsSource): Promise<WebDeps> => (typeof deps === 'function' ? deps() : Promise.resolve(deps));

/** `node add web --path DIR [--port P] [--host H]`: mount it under the cluster's `node add`. */
export function nodeAddWebCommand(deps: WebDepsSource): Command {
  return new Command('web')
    .description('install the current release on a new web node, start it with pm2 and wait for /readyz')
    .requiredOption('--path <dir>', 'an empty (or absent) folder for the node: releases/, current, var/, .pm2/')
    .option('--port <port>', 'the port the node listens on (default: a free one)', intOption(1, 65535))
    .option('--host <host>', 'the address the node listens on and nginx reaches it at', '127.0.0.1')
    .action(async (flags: { path: string; port?: number; host: string }) => {
      const d = await resolve(deps);
      const node = await addWebNode(d, { path: flags.path, port: flags.port, host: flags.host });
      d.log(`Regenerate the nginx config: portal cluster nginx-config --out <file> (node ${node.id} on port ${node.port})`);
    });
}

/** `deploy`: the current release to every web node, one node reloaded at a time. */
export function deployCommand(deps: WebDepsSource): Command {
  return new Command('deploy')
    .description('push the current release to every web node and reload them one at a time (zero failed requests behind nginx)')
    .action(async () => {
      const d = await resolve(deps);
      const result = await deploy(d);
      d.log(`Release ${result.release} runs on ${result.nodes.length} web node${result.nodes.length === 1 ? '' : 's'}.`);
    });
}

/** `nginx-config [--out F]`: prints the upstream config for every web node, or writes it (atomically). */
export function nginxConfigCommand(deps: WebDepsSource): Command {
  return new Command('nginx-config')
    .description('print (or write with --out) the nginx upstream config for all web nodes')
    .option('--out <file>', 'write the config to this file instead of printing it')
    .option('--listen <listen>', 'the listen directive of the server block', '80')
    .option('--server-name <name>', 'server_name of the server block')
    .action(async (flags: { out?: string; listen: string; serverName?: string }) => {
      const d = await resolve(deps);
      const text = nginxConfig(await d.webNodes.list(), { listen: flags.listen, serverName: flags.serverName });
      if (!flags.out) {
        process.stdout.write(text);
        return;
      }
      const file = path.resolve(flags.out);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(`${file}.tmp`, text);
      renameSync(`${file}.tmp`, file);
      d.log(`Wrote ${file}; check it with \`nginx -t\` and reload nginx (\`nginx -s reload\`).`);
    });
}
