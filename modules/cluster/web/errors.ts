import { defineErrors } from '../../../core/errors/portal-error.js';

/** Errors of the web-node commands (`portal cluster node add web`, `deploy`, `nginx-config`). */
export const webErrors = defineErrors({
  WEB_NODE_INVALID: { status: 400, message: (m) => m },
  WEB_NODE_PATH_IN_USE: { status: 409, message: (m) => m },
  WEB_NODE_PORT_IN_USE: { status: 409, message: (m) => m },
  WEB_NODE_PM2_FAILED: { status: 500, message: (m) => m },
  WEB_NODE_NOT_READY: { status: 503, message: (m) => m },
  WEB_NODE_SYNC_FAILED: { status: 500, message: (m) => m },
  WEB_DEPLOY_FAILED: { status: 500, message: (m) => m },
});
