/** Every error the portal raises on purpose carries a code (SCREAMING_SNAKE) and an HTTP status. */
export interface PortalErrorOptions {
  status?: number;
  /** Whether the message may be shown to a client. Defaults to true for 4xx, false for 5xx. */
  expose?: boolean;
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class PortalError extends Error {
  readonly code: string;
  readonly status: number;
  readonly expose: boolean;
  readonly details?: Record<string, unknown>;

  constructor(code: string, message: string, options: PortalErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PortalError';
    this.code = code;
    this.status = options.status ?? 400;
    this.expose = options.expose ?? this.status < 500;
    this.details = options.details;
  }

  toJSON(): { code: string; message: string; details?: Record<string, unknown> } {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
}

export function isPortalError(err: unknown): err is PortalError {
  return err instanceof PortalError;
}

/** Declares a family of coded errors so call sites read `errors.NOT_FOUND('user 5')`. */
export function defineErrors<T extends Record<string, { status: number; message: (arg: string) => string }>>(
  spec: T,
): { [K in keyof T]: (arg?: string, details?: Record<string, unknown>) => PortalError } {
  const out = {} as { [K in keyof T]: (arg?: string, details?: Record<string, unknown>) => PortalError };
  for (const code of Object.keys(spec) as (keyof T & string)[]) {
    const { status, message } = spec[code]!;
    out[code] = (arg = '', details) => new PortalError(code, message(arg), { status, details });
  }
  return out;
}
