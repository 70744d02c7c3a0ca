import { defineErrors } from '../errors/portal-error.js';

/** Errors of the agent (scheduled job) service. */
export const agentErrors = defineErrors({
  AGENT_SCHEDULE_INVALID: { status: 400, message: (m) => m },
  AGENT_DEFINITION_INVALID: { status: 400, message: (m) => m },
  AGENT_NOT_FOUND: { status: 404, message: (m) => `Agent "${m}" does not exist or its module is not active` },
  AGENT_FAILED: { status: 500, message: (m) => m },
});
