import { defineErrors, isPortalError, type PortalError } from '../errors/portal-error.js';
import { convertParam, defaultOf, type ParamSchema, type ParamsOf } from './params.js';

/** The request's query string as koa parses it: repeated names become lists. */
export type RequestQuery = Readonly<Record<string, string | readonly string[] | undefined>>;

export const requestErrors = defineErrors({
  /** A value a component reads from the URL is not valid; the message names the query parameter. */
  REQUEST_PARAM_INVALID: { status: 400, message: (m) => m },
});

/** The visitor's URL input was wrong: the page answers 400 instead of skipping the component. */
export function isRequestError(err: unknown): err is PortalError {
  return isPortalError(err) && err.code === 'REQUEST_PARAM_INVALID';
}

/** A 400 naming the query parameter, e.g. `requestError('page', 'must be a whole number from 1')`. */
export function requestError(param: string, problem: string, localized?: { en: string; ru: string }): PortalError {
  return requestErrors.REQUEST_PARAM_INVALID(`Query parameter "${param}" ${problem}`, { param, ...(localized ? { problem: localized } : {}) });
}

/**
 * Reads query values with a parameter schema (same types, limits and defaults as component
 * parameters). Only the names in the schema are read; other query values are ignored. A value
 * given twice or failing its spec is a REQUEST_PARAM_INVALID naming the query parameter.
 *   request: (query) => readQuery(query, { page: { type: 'number', integer: true, min: 1, default: 1 } })
 */
export function readQuery<S extends ParamSchema>(query: RequestQuery, schema: S): ParamsOf<S> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(schema)) {
    const raw = query[name];
    if (Array.isArray(raw)) throw requestError(name, 'is given more than once', { en: 'is given more than once', ru: 'указан больше одного раза' });
    if (raw === undefined || raw === '') {
      out[name] = defaultOf(spec);
      continue;
    }
    try {
      out[name] = convertParam(spec, raw, '');
    } catch (err) {
      if (isPortalError(err) && err.status === 400) throw requestError(name, err.message.trim(), err.details?.problem as { en: string; ru: string } | undefined);
      throw err;
    }
  }
  return out as ParamsOf<S>;
}
