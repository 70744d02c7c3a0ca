import { defineErrors } from '../errors/portal-error.js';

/** Errors of pages, menus and site template rules. */
export const pageErrors = defineErrors({
  PAGE_MISSING: { status: 404, message: (id) => `Not found: page ${id}` },
  PAGE_PATH_INVALID: { status: 400, message: (m) => m },
  PAGE_PATH_TAKEN: { status: 409, message: (p) => `A page with the path ${p} already exists on this site` },
  PAGE_CONTENT_INVALID: { status: 400, message: (m) => m },
  PLACEMENT_MISSING: { status: 404, message: (id) => `Not found: placement ${id}` },
  MENU_ITEM_INVALID: { status: 400, message: (m) => m },
  MENU_ITEM_MISSING: { status: 404, message: (id) => `Not found: menu item ${id}` },
  TEMPLATE_RULE_INVALID: { status: 400, message: (m) => m },
  TEMPLATE_RULE_MISSING: { status: 404, message: (id) => `Not found: template rule ${id}` },
});
