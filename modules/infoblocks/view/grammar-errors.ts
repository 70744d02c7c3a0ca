import { isPortalError, PortalError } from '../../../core/errors/portal-error.js';

/** Which component parameter feeds each family of grammar errors. */
const PARAM_OF: [RegExp, string][] = [
  [/^FILTER_/, 'filter'],
  [/^ORDER_/, 'sortBy'],
  [/^SELECT_/, 'properties'],
];

/**
 * Runs an element query for a component; a grammar error (unknown field, bad operator or
 * value) keeps its code and status and gets the component and parameter in front:
 * `infoblocks.list: parameter "filter": Unknown filter field "COLOUR"`.
 */
export async function withParamName<T>(component: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const param = isPortalError(err) ? PARAM_OF.find(([re]) => re.test(err.code))?.[1] : undefined;
    if (!param || !isPortalError(err)) throw err;
    throw new PortalError(err.code, `${component}: parameter "${param}": ${err.message}`, { status: err.status, details: { ...err.details, param } });
  }
}
