import { defineErrors } from '../errors/portal-error.js';

/** Errors of the mail service (events, templates, queue). */
export const mailErrors = defineErrors({
  MAIL_EVENT_UNKNOWN: { status: 400, message: (type) => `Unknown mail event type "${type}"` },
  MAIL_RECIPIENT_INVALID: { status: 400, message: (m) => m || 'The recipient is not a valid e-mail address list' },
  MAIL_SENDER_INVALID: { status: 400, message: (m) => m || 'The sender is not a valid e-mail address' },
  MAIL_TEMPLATE_INVALID: { status: 400, message: (m) => m || 'The mail template is not valid' },
  MAIL_TEMPLATE_NOT_FOUND: { status: 404, message: (id) => `Mail template ${id} does not exist` },
  MAIL_QUEUE_NOT_FOUND: { status: 404, message: (id) => `Queued message ${id} does not exist` },
  MAIL_RETRY_NOT_ALLOWED: { status: 409, message: (m) => m },
});
