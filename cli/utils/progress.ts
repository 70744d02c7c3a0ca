import type CliProgress from 'cli-progress';
import { lazyRequire } from '../../core/lazy.js';
import type { InstallUi, MigrationEvent } from '../../installer/types.js';

const loadCliProgress = lazyRequire<typeof CliProgress>('cli-progress');

/**
 * Progress on stderr: a bar per module's migrations on a terminal, plain step lines
 * otherwise (logs, CI, pm2).
 */
export function createProgressUi(stream: NodeJS.WriteStream = process.stderr): InstallUi {
  return stream.isTTY ? new BarUi(stream) : new LinesUi(stream);
}

class LinesUi implements InstallUi {
  constructor(private readonly out: NodeJS.WriteStream) {}
  step(message: string): void {
    this.out.write(`- ${message}\n`);
  }
  warn(message: string): void {
    this.out.write(`! ${message}\n`);
  }
  migration(e: MigrationEvent): void {
    this.out.write(`  ${e.direction === 'up' ? 'migrate' : 'revert'} ${e.module} ${e.index + 1}/${e.total} ${e.name}\n`);
  }
  done(): void {}
}

class BarUi implements InstallUi {
  private bar: CliProgress.SingleBar | undefined;
  private module = '';

  constructor(private readonly out: NodeJS.WriteStream) {}

  step(message: string): void {
    this.done();
    this.out.write(`- ${message}\n`);
  }
  warn(message: string): void {
    this.done();
    this.out.write(`! ${message}\n`);
  }
  migration(e: MigrationEvent): void {
    if (!this.bar || this.module !== `${e.module}:${e.direction}`) {
      this.done();
      this.module = `${e.module}:${e.direction}`;
      const cliProgress = loadCliProgress();
      this.bar = new cliProgress.SingleBar(
        { stream: this.out, format: `  ${e.module} [{bar}] {value}/{total} {name}`, hideCursor: true, clearOnComplete: false },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(e.total, e.index, { name: e.name });
    }
    this.bar.update(e.index, { name: e.name });
  }
  done(): void {
    if (!this.bar) return;
    this.bar.update(this.bar.getTotal(), { name: 'done' });
    this.bar.stop();
    this.bar = undefined;
    this.module = '';
  }
}
