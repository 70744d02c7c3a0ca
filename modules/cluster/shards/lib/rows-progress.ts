import type CliProgress from 'cli-progress';
import { lazyRequire } from '../../../../core/lazy.js';

const loadCliProgress = lazyRequire<typeof CliProgress>('cli-progress');

/** A rows bar on a terminal (rows/s and an estimate); steps as lines otherwise, errors stay one line. */
export function createRowsUi(stream: NodeJS.WriteStream = process.stderr, quiet = false) {
  let bar: CliProgress.SingleBar | undefined;
  let value = 0;
  const started = { at: 0 };
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  return {
    step(message: string) {
      stop();
      if (!quiet) stream.write(`- ${message}\n`);
    },
    copyStart(total: number) {
      value = 0;
      started.at = Date.now();
      if (!stream.isTTY || quiet) return;
      const cliProgress = loadCliProgress();
      bar = new cliProgress.SingleBar(
        { stream, format: '  [{bar}] {percentage}% {value}/{total} rows, {rate} rows/s, ETA {eta_formatted} {table}', hideCursor: true, clearOnComplete: false },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0, { rate: 0, table: '' });
    },
    copied(rows: number, table: string) {
      value += rows;
      const seconds = Math.max((Date.now() - started.at) / 1000, 0.001);
      bar?.update(value, { rate: Math.round(value / seconds), table });
    },
    copyDone() {
      stop();
    },
  };
}
