import type CliProgress from 'cli-progress';
import { lazyRequire } from '../../core/lazy.js';
import { formatBytes } from '../../core/backup/fs-util.js';
import type { BackupUi } from '../../core/backup/ui.js';

const loadCliProgress = lazyRequire<typeof CliProgress>('cli-progress');

/** On a terminal: steps and a byte bar for the long ones on stderr. Elsewhere (cron, scripts) only warnings, so a failure stays one line. */
export function createBackupUi(stream: NodeJS.WriteStream = process.stderr): BackupUi {
  let bar: CliProgress.SingleBar | undefined;
  const done = () => {
    bar?.stop();
    bar = undefined;
  };
  return {
    step(message) {
      done();
      if (stream.isTTY) stream.write(`- ${message}\n`);
    },
    warn(message) {
      done();
      stream.write(`! ${message}\n`);
    },
    progress(value, total) {
      if (!stream.isTTY || total <= 0) return;
      if (!bar) {
        const cliProgress = loadCliProgress();
        bar = new cliProgress.SingleBar(
          { stream, format: '  [{bar}] {percentage}% {done} of {all}', hideCursor: true, clearOnComplete: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0, { done: formatBytes(0), all: formatBytes(total) });
      }
      bar.update(value, { done: formatBytes(value), all: formatBytes(total) });
    },
    done,
  };
}
