import type { Kernel } from '../../core/kernel.js';
import type { ParsedMessage, TestSmtpServer } from './smtp.js';

/**
 * Waits until mail event `type` to `to` is in the queue (forms queue some mail after they
 * answered), delivers the queue through the kernel's SMTP settings and returns the message
 * the test SMTP server received.
 */
export async function deliverMail(kernel: Kernel, smtp: TestSmtpServer, type: string, to: string, timeoutMs = 5000): Promise<ParsedMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = (await kernel.mail.queue({ limit: 200 })).find((m) => m.eventType === type && m.to === to);
    if (row) {
      if (row.status !== 'sent') await kernel.mail.processQueue();
      const msg = smtp.messages.find((m) => m.to.includes(to) && m.subject === row.subject);
      if (msg) return msg;
    }
    if (Date.now() > deadline) throw new Error(`no ${type} mail to ${to} was delivered within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** How many queued mails of `type` go to `to`. */
export async function queuedCount(kernel: Kernel, type: string, to: string): Promise<number> {
  return (await kernel.mail.queue({ limit: 500 })).filter((m) => m.eventType === type && m.to === to).length;
}

/** The first URL in a mail's text. */
export function linkIn(message: ParsedMessage): string {
  const m = /https?:\/\/\S+/.exec(message.text);
  if (!m) throw new Error(`no link in the mail:\n${message.text}`);
  return m[0];
}
