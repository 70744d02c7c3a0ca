/** A JSON answer of the infoblocks REST API. */
export type RestJson = { result?: any; total?: number; page?: number; limit?: number; next?: number | null; files?: Record<string, { url: string; name: string; size: number; mimeType: string }>; error?: { code: string; message: string } };

/** Calls /api/v1/infoblocks<path> on the server at `baseUrl()` with an optional bearer token and JSON body. */
export function restCaller(baseUrl: () => string) {
  return async (method: string, path: string, opts: { token?: string; json?: unknown } = {}): Promise<{ status: number; body: RestJson }> => {
    const headers: Record<string, string> = {};
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.json !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${baseUrl()}/api/v1/infoblocks${path}`, { method, headers, body: opts.json === undefined ? undefined : JSON.stringify(opts.json) });
    return { status: res.status, body: (await res.json()) as RestJson };
  };
}
