import type { IncomingMessage } from 'node:http';
import type { Next, ParameterizedContext } from 'koa';
import { coreErrors } from '../errors/codes.js';
import type { PortalState } from './state.js';

const STATE_CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * What every JSON API request under /api/ gets, whichever module answers it: responses
 * are never stored (`Cache-Control: no-store`, errors included), and a state change whose
 * body is not JSON is refused with 415 before any body parser reads it (a request
 * without a body, such as most DELETEs, goes through).
 */
export function apiRequests() {
  return async (ctx: ParameterizedContext<PortalState>, next: Next): Promise<void> => {
    if (!ctx.path.startsWith('/api/')) return next();
    ctx.set('Cache-Control', 'no-store');
    if (STATE_CHANGES.has(ctx.method) && hasBody(ctx.req) && !ctx.is('json')) {
      const sent = ctx.get('Content-Type').split(';')[0]!.trim().slice(0, 100) || 'no Content-Type';
      throw coreErrors.UNSUPPORTED_MEDIA_TYPE(`The API reads JSON bodies only: send the body as JSON with "Content-Type: application/json" (got ${sent})`);
    }
    await next();
  };
}

function hasBody(req: IncomingMessage): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}
