import type { ParameterizedContext } from 'koa';
import type { PortalConfig } from '../config/types.js';
import type { SessionStore } from '../sessions/session-store.js';
import { coreErrors } from '../errors/codes.js';
import { isPortalError } from '../errors/portal-error.js';
import { SESSION_COOKIE, cookieOptions } from './cookies.js';
import type { PortalState, SessionData } from './state.js';

type Ctx = ParameterizedContext<PortalState>;

/** What flash messages need of the kernel (the kernel itself fits): the session store and cookie settings. */
export interface FlashDeps {
  readonly sessions: Pick<SessionStore, 'create' | 'save'>;
  readonly config: Pick<PortalConfig, 'http' | 'security'>;
}

/** The kinds match the design system's alerts (`.alert-ok`, `.alert-error`, ...). */
export type FlashKind = 'ok' | 'info' | 'warn' | 'error';
export interface FlashMessage {
  kind: FlashKind;
  text: string;
}

declare module './state.js' {
  interface PortalState {
    /** The flash messages this request took from the session (taken once, however many templates show them). */
    flashTaken?: Promise<FlashMessage[]>;
  }
}

const KEY = 'flash';
const KINDS: readonly FlashKind[] = ['ok', 'info', 'warn', 'error'];
/** Messages kept per session; older ones are dropped first. */
const MAX_MESSAGES = 5;
const MAX_TEXT = 500;

/**
 * Keeps a message for the visitor's next page. It lives in the session (in the DB), so
 * whichever node serves the next request shows it; an anonymous visitor gets a session.
 */
export async function flash(ctx: Ctx, deps: FlashDeps, message: FlashMessage | string): Promise<void> {
  const m = typeof message === 'string' ? { kind: 'ok' as const, text: message } : message;
  if (!KINDS.includes(m.kind) || typeof m.text !== 'string') throw new TypeError(`a flash message needs a kind (${KINDS.join(', ')}) and a text`);
  const session = ctx.state.session ?? (await startSession(ctx, deps));
  const kept = stored(session).slice(-(MAX_MESSAGES - 1));
  session.data = { ...session.data, [KEY]: [...kept, { kind: m.kind, text: m.text.slice(0, MAX_TEXT) }] };
  await deps.sessions.save(session);
}

/** Post-redirect-get: keeps the message and answers 303 to `to`, a path on this site. */
export async function redirectWithFlash(ctx: Ctx, deps: FlashDeps, to: string, message: FlashMessage | string): Promise<void> {
  if (!isLocalPath(to)) throw new TypeError(`redirect target "${to}" must be a path on this site, e.g. /notes/`);
  await flash(ctx, deps, message);
  ctx.redirect(to);
  ctx.status = 303;
}

/**
 * Handles a posted form the post-redirect-get way: `run` does the work and returns the
 * success message; the visitor is sent back to `back` with it. A 4xx it throws (bad input,
 * a veto) goes back to `back` as an error message instead; 401, 403 and other errors
 * propagate to the error page. The CSRF token was checked before the route ran.
 */
export async function submitForm(ctx: Ctx, deps: FlashDeps, back: string, run: () => Promise<FlashMessage | string>): Promise<void> {
  let message: FlashMessage | string;
  try {
    message = await run();
  } catch (err) {
    if (!isPortalError(err) || err.status < 400 || err.status >= 500 || err.status === 401 || err.status === 403) throw err;
    message = { kind: 'error', text: err.message };
  }
  await redirectWithFlash(ctx, deps, back, message);
}

/** The visitor's flash messages, removed from the session; read at most once per request. */
export function takeFlash(deps: Pick<FlashDeps, 'sessions'>, state: PortalState): Promise<FlashMessage[]> {
  state.flashTaken ??= (async () => {
    const session = state.session;
    if (!session) return [];
    const messages = stored(session);
    if (!messages.length) return [];
    const { [KEY]: _taken, ...rest } = session.data;
    session.data = rest;
    await deps.sessions.save(session);
    return messages;
  })();
  return state.flashTaken;
}

/** The messages as alerts (text escaped); '' when there are none. */
export function flashHtml(messages: FlashMessage[]): string {
  return messages.map((m) => `<div class="alert alert-${m.kind}" role="${m.kind === 'error' ? 'alert' : 'status'}">${escapeHtml(m.text)}</div>`).join('\n');
}

/** Whether the session holds flash messages for the next page. */
export function hasFlash(session: SessionData): boolean {
  return stored(session).length > 0;
}

function stored(session: SessionData): FlashMessage[] {
  const list = session.data?.[KEY];
  if (!Array.isArray(list)) return [];
  return list.filter((m): m is FlashMessage => !!m && KINDS.includes(m.kind) && typeof m.text === 'string');
}

async function startSession(ctx: Ctx, deps: FlashDeps): Promise<SessionData> {
  if (ctx.state.auth === 'token') throw coreErrors.VALIDATION_FAILED('API token calls have no session to keep a message in');
  const session = await deps.sessions.create({ userId: null, ip: ctx.ip, userAgent: ctx.get('User-Agent').slice(0, 255) });
  ctx.cookies.set(SESSION_COOKIE, session.id, cookieOptions({ secure: deps.config.http.secureCookies }, deps.config.security.sessionTtlSeconds * 1000));
  ctx.state.session = session;
  return session;
}

function isLocalPath(to: string): boolean {
  return typeof to === 'string' && to.startsWith('/') && !to.startsWith('//') && !to.includes('\\') && !/[\r\n]/.test(to);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
