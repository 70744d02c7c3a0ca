import { PortalError } from '../../../core/errors/portal-error.js';

/** Rethrows a coded error of one batch item with its index in front ("item 17: Property "PRICE" ..."), same code. */
export function atItem(err: unknown, index: number): never {
  if (!(err instanceof PortalError)) throw err;
  throw new PortalError(err.code, `item ${index}: ${err.message}`, { status: err.status, expose: err.expose, details: { ...err.details, item: index }, cause: err });
}
