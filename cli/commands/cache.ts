import { Command } from 'commander';
import { withKernel } from '../utils/kernel.js';
import { line, note } from '../utils/output.js';
import { collect } from '../utils/parse.js';

export function cacheCommand(): Command {
  const cmd = new Command('cache').description('manage the cache');
  cmd
    .command('clear')
    .description('drop every cached entry of this portal, or only the entries with a tag')
    .option('--tag <tag>', 'only entries tagged with this (repeatable)', collect)
    .action((flags: { tag?: string[] }) =>
      withKernel(async (kernel) => {
        if (flags.tag?.length) await kernel.cache.invalidateTags(...flags.tag);
        else await kernel.cache.clear();
        line(flags.tag?.length ? `Cache entries tagged ${flags.tag.join(', ')} invalidated.` : 'Cache cleared.');
        if (kernel.cache.driverName === 'memory') {
          note('note: the memory cache lives inside each portal process; restart the portal to clear its copy (memcached is shared)');
        }
      }),
    );
  return cmd;
}
