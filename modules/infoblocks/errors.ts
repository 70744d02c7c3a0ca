import { defineErrors } from '../../core/errors/portal-error.js';

/** Coded errors of the infoblocks module; messages name the offending field or value. */
export const ibErrors = defineErrors({
  IBLOCK_INPUT_INVALID: { status: 400, message: (m) => m },
  IBLOCK_NOT_FOUND: { status: 404, message: (m) => `Infoblock ${m} does not exist` },
  IBLOCK_TYPE_NOT_FOUND: { status: 404, message: (m) => `Infoblock type ${m} does not exist` },
  IBLOCK_CODE_TAKEN: { status: 409, message: (m) => `Code "${m}" is already used` },
  IBLOCK_TYPE_IN_USE: { status: 409, message: (m) => `Infoblock type ${m} still has infoblocks` },
  SECTION_NOT_FOUND: { status: 404, message: (m) => `Section ${m} does not exist` },
  SECTION_MOVE_INVALID: { status: 400, message: (m) => m },
  SECTIONS_DISABLED: { status: 400, message: (m) => `Infoblock ${m} has sections turned off` },
  ELEMENT_NOT_FOUND: { status: 404, message: (m) => `Element ${m} does not exist` },
  ELEMENT_INPUT_INVALID: { status: 400, message: (m) => m },
  PROPERTY_NOT_FOUND: { status: 404, message: (m) => `Property ${m} does not exist` },
  PROPERTY_INPUT_INVALID: { status: 400, message: (m) => m },
  PROPERTY_UNKNOWN: { status: 400, message: (m) => `Unknown property "${m}"` },
  PROPERTY_REQUIRED: { status: 400, message: (m) => `Property "${m}" is required` },
  PROPERTY_NOT_MULTIPLE: { status: 400, message: (m) => `Property "${m}" takes one value, not a list` },
  PROPERTY_VALUE_INVALID: { status: 400, message: (m) => m },
  FILTER_FIELD_UNKNOWN: { status: 400, message: (m) => `Unknown filter field "${m}"` },
  FILTER_OPERATOR_INVALID: { status: 400, message: (m) => m },
  FILTER_VALUE_INVALID: { status: 400, message: (m) => m },
  FILTER_LOGIC_INVALID: { status: 400, message: (m) => m },
  ORDER_FIELD_INVALID: { status: 400, message: (m) => m },
  SELECT_FIELD_UNKNOWN: { status: 400, message: (m) => `Unknown select field "${m}"` },
  PAGINATION_INVALID: { status: 400, message: (m) => m },
  RIGHTS_LEVEL_INVALID: { status: 400, message: (m) => m },
});
