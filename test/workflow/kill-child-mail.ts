/**
 * The process the mail restart test kills with SIGKILL: it boots a kernel on the test's database (PORTAL_WF_CONFIG),
 * makes leases short, starts the template PORTAL_WF_TEMPLATE (a sendMail step) on document 1 and, once the step has
 * put its mail in the queue, prints "queued <instanceId>" and never returns from the send: the crash falls between
 * the queued mail and the step's saved state.
 *
 * With PORTAL_WF_HANG it waits for the first WORKFLOW_TASK mail instead (an approval's round committed its tasks) and
 * prints "hung <instanceId>": before the mail reaches the queue (`before`) or after (`after`, so the crash falls
 * between the queued mail and the task's cleared outbox flag).
 */
import { Kernel } from '../../core/kernel.js';
import { silentLogger } from '../../core/log/logger.js';
import type { PortalConfig } from '../../core/config/types.js';
import { definitions, ADMIN } from './fixture.js';
import { slowAdapter } from './slow-adapter.js';

const config = JSON.parse(process.env.PORTAL_WF_CONFIG!) as PortalConfig;
const kernel = await Kernel.boot(config, { log: silentLogger(), definitions });
await kernel.options.set('workflow', 'lease_seconds', 1);
const wf = kernel.api('workflow');
wf.documents.register(slowAdapter(async () => undefined));
const send = kernel.mail.send.bind(kernel.mail);
const hang = process.env.PORTAL_WF_HANG;
kernel.mail.send = async (...args) => {
  if (hang && args[0] !== 'WORKFLOW_TASK') return send(...args);
  if (hang !== 'before') await send(...args);
  const r = await wf.instances.list(ADMIN, { status: 'running' });
  process.stdout.write(`${hang ? 'hung' : 'queued'} ${r.items[0]!.id}\n`);
  return new Promise<number[]>(() => undefined);
};
await wf.instances.startAsSystem(process.env.PORTAL_WF_TEMPLATE!, 'test.slow', '1', null);
