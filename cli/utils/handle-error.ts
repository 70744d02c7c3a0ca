import { CommanderError } from 'commander';
import { PortalError } from '../../core/errors/portal-error.js';

const debug = (): boolean => Boolean(process.env.PORTAL_DEBUG && process.env.PORTAL_DEBUG !== '0');

/** One line: messages from drivers may span several. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** The single exit path for errors: one readable line on stderr, a non-zero exit code. */
export function handleError(err: unknown): never {
  if (err instanceof CommanderError) {
    // --help and --version end here too, with exit code 0 and nothing more to say.
    if (err.exitCode === 0) process.exit(0);
    // A command group run without a subcommand: the help already went to stderr.
    if (err.code === 'commander.help') process.exit(err.exitCode);
    process.stderr.write(`portal: ${oneLine(err.message.replace(/^error:\s*/, ''))}\n`);
    process.exit(err.exitCode || 1);
  }
  if (err instanceof PortalError) {
    process.stderr.write(`portal: ${oneLine(err.message)} [${err.code}]\n`);
    if (debug() && err.stack) process.stderr.write(`${err.stack}\n`);
    process.exit(1);
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`portal: unexpected error: ${oneLine(message)} (set PORTAL_DEBUG=1 to see the stack)\n`);
  if (debug() && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  process.exit(1);
}
