/**
 * The process the task-mail crash test kills with SIGKILL: it boots a kernel on the test's database
 * (PORTAL_WF_CONFIG), makes leases short and starts the template PORTAL_WF_TEMPLATE (an approval) on document 1.
 * The round's transaction commits its tasks; then the first WORKFLOW_TASK send prints "hung <instanceId>" and never
 * returns — before the mail reaches the queue (PORTAL_WF_HANG=before) or after (PORTAL_WF_HANG=after, so the crash
 * falls between the queued mail and the cleared outbox flag).
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
kernel.mail.send = async (...args) => {
  if (args[0] !== 'WORKFLOW_TASK') return send(...args);
  if (process.env.PORTAL_WF_HANG === 'after') await send(...args);
  const r = await wf.instances.list(ADMIN, { status: 'running' });
  process.stdout.write(`hung ${r.items[0]!.id}\n`);
  return new Promise<number[]>(() => undefined);
};
await wf.instances.startAsSystem(process.env.PORTAL_WF_TEMPLATE!, 'test.slow', '1', null);
