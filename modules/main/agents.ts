import type { ModuleContext } from '../../core/modules/types.js';
import type { AgentDefinition } from '../../core/services.js';
import { mailAgents } from '../../core/mail/mail-agents.js';

/** Housekeeping jobs of the main module, run by the agent worker. */
export function agents(ctx: ModuleContext): AgentDefinition[] {
  const { kernel } = ctx;
  return [
    ...mailAgents(kernel.mail),
    { name: 'sessions.purge', interval: 3600, run: async () => void (await kernel.sessions.purgeExpired()) },
    { name: 'login-attempts.purge', interval: 3600, run: async () => void (await kernel.users.purgeLoginAttempts()) },
  ];
}
