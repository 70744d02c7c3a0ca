import { defineErrors } from '../../core/errors/portal-error.js';

export const cloudErrors = defineErrors({
  CLOUD_SOURCE_MISSING: { status: 404, message: (p) => `${p} does not exist` },
  CLOUD_NOT_A_DUMP: { status: 400, message: (m) => `Not a Bitrix24 cloud dump: ${m}` },
  CLOUD_ZIP_CORRUPT: { status: 400, message: (m) => `The zip file is damaged: ${m}` },
  CLOUD_UNKNOWN_ENCODING: { status: 400, message: (f) => `${f}: unknown text encoding (neither UTF-8 nor windows-1251)` },
  CLOUD_BAD_FILE: { status: 400, message: (m) => m },
  CLOUD_BAD_ROW: { status: 400, message: (m) => m },
  CLOUD_UNKNOWN_ENTITY: { status: 400, message: (m) => `Unknown entity ${m}` },
  CLOUD_WEBHOOK_INVALID: { status: 400, message: (u) => `The webhook must look like https://<portal>.bitrix24.<tld>/rest/<user>/<token>/, not ${u}` },
  CLOUD_REST_FAILED: { status: 502, message: (m) => `The cloud answered with an error: ${m}` },
});
