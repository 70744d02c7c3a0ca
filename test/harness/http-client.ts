/** A tiny fetch wrapper with a cookie jar, for HTTP tests against a running portal. */
export class HttpClient {
  readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  async request(method: string, path: string, opts: { form?: Record<string, string>; json?: unknown; headers?: Record<string, string>; body?: RequestInit['body'] } = {}): Promise<Response> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: RequestInit['body'] | undefined = opts.body;
    if (opts.form) {
      body = new URLSearchParams(opts.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(this.baseUrl + path, { method, headers, body, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (!value || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  get(path: string, headers?: Record<string, string>): Promise<Response> {
    return this.request('GET', path, { headers });
  }

  post(path: string, form: Record<string, string>): Promise<Response> {
    return this.request('POST', path, { form });
  }

  /** Reads the hidden _csrf field from a page. */
  static csrfFrom(html: string): string {
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (!m) throw new Error('no _csrf field on the page');
    return m[1]!;
  }

  /** Signs in through the real form; returns the response of the POST. */
  async signIn(login: string, password: string): Promise<Response> {
    const page = await (await this.get('/auth/login/')).text();
    return this.post('/auth/login/', { _csrf: HttpClient.csrfFrom(page), login, password, back: '/' });
  }
}
