import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { PASSWORD_RULE, passwordRuleBreach } from '../../core/users/passwords.js';
import { cliErrors } from './errors.js';

/** Questions are asked only when both ends are a terminal; never in scripts, CI or pm2. */
export function isInteractive(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY);
}

/** Asks a question; an empty answer gives `def`. */
export async function ask(question: string, def = ''): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  try {
    const answer = (await rl.question(def ? `${question} [${def}]: ` : `${question}: `)).trim();
    return answer || def;
  } finally {
    rl.close();
  }
}

/** Asks for a secret without echoing what is typed. */
export async function askSecret(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _enc, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  try {
    const pending = rl.question(`${question}: `);
    muted = true;
    return await pending;
  } finally {
    muted = false;
    rl.close();
    process.stdout.write('\n');
  }
}

/**
 * A new password typed twice, checked against the password rule (shown before asking);
 * empty means "generate one" (returns undefined).
 */
export async function askNewPassword(question: string, login?: string): Promise<string | undefined> {
  process.stdout.write(`Password rule: ${PASSWORD_RULE}.\n`);
  for (;;) {
    const first = await askSecret(`${question} (empty: generate one)`);
    if (!first) return undefined;
    if (passwordRuleBreach(first, login)) {
      process.stdout.write('The password does not meet the rule; try again.\n');
      continue;
    }
    if ((await askSecret('Repeat it')) === first) return first;
    process.stdout.write('The passwords differ; try again.\n');
  }
}

/**
 * Confirms a destructive step: --yes confirms; on a terminal the user is asked;
 * otherwise the command stops with one line naming the flag.
 */
export async function confirmOrFail(question: string, yes: boolean | undefined): Promise<void> {
  if (yes) return;
  if (!isInteractive()) throw cliErrors.CONFIRMATION_REQUIRED(`${question.replace(/\?$/, '')}: pass --yes to confirm`);
  const answer = (await ask(`${question} (y/N)`)).toLowerCase();
  if (answer !== 'y' && answer !== 'yes') throw cliErrors.CONFIRMATION_REQUIRED('cancelled');
}
