import type { AgentDefinition } from '../services.js';
import type { MailService } from './mail-service.js';

/** The agent that delivers the mail queue every 10 seconds. */
export function mailAgents(mail: MailService): AgentDefinition[] {
  return [
    {
      name: 'mail.send',
      interval: 10,
      run: async () => {
        await mail.processQueue({ limit: 50 });
      },
    },
  ];
}
