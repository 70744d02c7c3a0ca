import { defineErrors } from '../../core/errors/portal-error.js';

export const __CAMEL__Errors = defineErrors({
  __CONST___TITLE_INVALID: { status: 400, message: (m) => m || 'The title must be 1 to 255 characters' },
});
