import { defineErrors } from '../../core/errors/portal-error.js';

/** Coded errors of the workflow module; every message names what was wrong. */
export const wfErrors = defineErrors({
  WORKFLOW_TEMPLATE_INVALID: { status: 400, message: (m) => `The template is not valid: ${m}` },
  WORKFLOW_TEMPLATE_NOT_FOUND: { status: 404, message: (m) => `Workflow template ${m} does not exist` },
  WORKFLOW_TEMPLATE_CODE_TAKEN: { status: 409, message: (m) => `Template code "${m}" is already used` },
  WORKFLOW_TEMPLATE_INACTIVE: { status: 409, message: (m) => `Template ${m} is switched off` },
  WORKFLOW_INSTANCE_NOT_FOUND: { status: 404, message: (m) => `Workflow instance ${m} does not exist` },
  WORKFLOW_INSTANCE_FINISHED: { status: 409, message: (m) => `Workflow instance ${m} has already finished` },
  WORKFLOW_TASK_NOT_FOUND: { status: 404, message: (m) => `Task ${m} does not exist` },
  WORKFLOW_TASK_CLOSED: { status: 409, message: (m) => `Task ${m} is already closed; nothing was changed` },
  WORKFLOW_TASK_NOT_YOURS: { status: 403, message: (m) => `Task ${m} is assigned to someone else` },
  WORKFLOW_DECISION_INVALID: { status: 400, message: (m) => m },
  WORKFLOW_FORM_INVALID: { status: 400, message: (m) => m },
  WORKFLOW_DOCUMENT_TYPE_UNKNOWN: { status: 400, message: (m) => `No module exposes documents of type "${m}"` },
  WORKFLOW_DOCUMENT_NOT_FOUND: { status: 404, message: (m) => `Document ${m} does not exist` },
  WORKFLOW_DOCUMENT_MISMATCH: { status: 400, message: (m) => m },
  WORKFLOW_STATUS_NOT_FOUND: { status: 404, message: (m) => `Document status ${m} does not exist` },
  WORKFLOW_STATUS_INVALID: { status: 400, message: (m) => m },
  WORKFLOW_STATUS_DENIED: { status: 403, message: (m) => m },
  WORKFLOW_LOCKED: { status: 423, message: (m) => m },
  WORKFLOW_VERSION_NOT_FOUND: { status: 404, message: (m) => `Version ${m} does not exist` },
  WORKFLOW_NOT_ENABLED: { status: 400, message: (m) => `Infoblock ${m} does not use the workflow` },
});
