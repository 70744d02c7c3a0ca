/**
 * The process the restart test kills with SIGKILL: it boots a kernel on the test's database (PORTAL_WF_CONFIG), makes
 * leases short, registers a document type whose setFields never returns, starts the template PORTAL_WF_TEMPLATE on
 * document 1 and prints "stuck <instanceId>" once the engine is inside that step, holding the instance's lease.
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
wf.documents.register(slowAdapter(() => new Promise<void>(() => {
  void wf.instances.list(ADMIN, { status: 'running' }).then((r) => process.stdout.write(`stuck ${r.items[0]!.id}\n`));
})));
await wf.instances.startAsSystem(process.env.PORTAL_WF_TEMPLATE!, 'test.slow', '1', null);
