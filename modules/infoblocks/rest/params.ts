import type { Next, ParameterizedContext } from 'koa';
import type { Kernel } from '../../../core/kernel.js';
import type { PortalState } from '../../../core/http/state.js';
import { coreErrors } from '../../../core/errors/codes.js';
import type { Principal } from '../../../core/services.js';

export type RestCtx = ParameterizedContext<PortalState>;

/** Anonymous callers get 401; rights are then checked by the module API (403). */
export async function requireUser(ctx: RestCtx, next: Next): Promise<void> {
  if (!ctx.state.user) throw coreErrors.UNAUTHENTICATED();
  await next();
}

/** A numeric id from the path; anything else is a 404 (no such resource). */
export function idParam(raw: string | undefined, what: string): number {
  if (!raw || !/^[1-9]\d{0,15}$/.test(raw)) throw coreErrors.NOT_FOUND(`${what} "${raw ?? ''}"`);
  return Number(raw);
}

export function intParam(raw: unknown, name: string, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw coreErrors.VALIDATION_FAILED(`Parameter "${name}" must be an integer from ${min} to ${max}`);
  return n;
}

/** Parses a JSON query parameter; malformed JSON is a 400 naming the parameter. */
export function jsonParam(raw: string, name: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (err) {
    throw coreErrors.VALIDATION_FAILED(`Parameter "${name}" is not valid JSON: ${(err as Error).message}`);
  }
}

/** A single string query parameter (the first when repeated). */
export function queryString(ctx: RestCtx, name: string): string | undefined {
  const v = ctx.query[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The JSON request body as an object. */
export function bodyObject(ctx: RestCtx): Record<string, unknown> {
  const body = ctx.request.body as unknown;
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw coreErrors.VALIDATION_FAILED('The request body must be a JSON object');
  return body as Record<string, unknown>;
}

/** An infoblock reference from the path: numeric id or code (resolving a code needs read rights). */
export async function iblockIdOf(kernel: Kernel, principal: Principal, ref: string | undefined): Promise<number> {
  if (ref && /^\d+$/.test(ref)) return idParam(ref, 'Infoblock');
  if (!ref) throw coreErrors.NOT_FOUND('Infoblock');
  return (await kernel.api('infoblocks').iblocks.getByCode(principal, ref)).id;
}
