import { SMTPServer } from 'smtp-server';
import { freePort } from './free-port.js';

/** One message received by the test SMTP server, decoded enough for assertions. */
export interface ParsedMessage {
  /** Envelope MAIL FROM. */
  from: string;
  /** Envelope RCPT TO. */
  to: string[];
  /** Decoded Subject header. */
  subject: string;
  /** Decoded text/plain body ('' when absent). */
  text: string;
  /** Decoded text/html body ('' when absent). */
  html: string;
  /** Header values (lower-case names, decoded, first occurrence). */
  headers: Record<string, string>;
  raw: string;
}

export interface TestSmtpServer {
  port: number;
  /** smtp://user:pass@127.0.0.1:port when auth is on, else smtp://127.0.0.1:port */
  url: string;
  messages: ParsedMessage[];
  stop(): Promise<void>;
  waitFor(n: number, timeoutMs?: number): Promise<void>;
}

export interface SmtpServerOptions {
  /** Reuse a port (to bring a "down" server back). */
  port?: number;
  /** Require this login (AUTH PLAIN/LOGIN without TLS); without it AUTH is optional and any login passes. */
  auth?: { user: string; pass: string };
  /** RCPT TO addresses to refuse with 550. */
  rejectRecipients?: RegExp;
}

/** A real SMTP server (smtp-server package) on a loopback port that keeps every message it gets. */
export async function startSmtpServer(options: SmtpServerOptions = {}): Promise<TestSmtpServer> {
  const port = options.port ?? (await freePort());
  const messages: ParsedMessage[] = [];
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      const ok = !options.auth || (auth.username === options.auth.user && auth.password === options.auth.pass);
      callback(ok ? null : new Error('Invalid username or password'), ok ? { user: auth.username } : undefined);
    },
    onRcptTo(address, _session, callback) {
      if (options.rejectRecipients?.test(address.address)) return callback(new Error(`No such user ${address.address}`));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', callback);
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const mailFrom = session.envelope.mailFrom;
        messages.push({
          ...parseMime(raw),
          from: mailFrom ? mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const auth = options.auth ? `${encodeURIComponent(options.auth.user)}:${encodeURIComponent(options.auth.pass)}@` : '';
  return {
    port,
    url: `smtp://${auth}127.0.0.1:${port}`,
    messages,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    async waitFor(n, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} messages, got ${messages.length} after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

// ---------- minimal MIME decoding (enough for what nodemailer produces) ----------

function parseMime(raw: string): Omit<ParsedMessage, 'from' | 'to' | 'raw'> {
  const { headers, body } = splitEntity(raw);
  const parts = { text: '', html: '' };
  collectBodies(headers, body, parts);
  return { subject: headers.subject ?? '', headers, ...parts };
}

function splitEntity(raw: string): { headers: Record<string, string>; body: string } {
  const at = raw.search(/\r?\n\r?\n/);
  const head = at < 0 ? raw : raw.slice(0, at);
  const body = at < 0 ? '' : raw.slice(at).replace(/^\r?\n\r?\n/, '');
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!(name in headers)) headers[name] = decodeWords(line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function collectBodies(headers: Record<string, string>, body: string, out: { text: string; html: string }): void {
  const type = (headers['content-type'] ?? 'text/plain').toLowerCase();
  const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
  if (type.startsWith('multipart/') && boundary) {
    const sections = body.split(`--${boundary}`).slice(1);
    for (const section of sections) {
      if (section.startsWith('--')) break;
      const part = splitEntity(section.replace(/^\r?\n/, ''));
      collectBodies(part.headers, part.body, out);
    }
    return;
  }
  const decoded = decodeTransfer(body, headers['content-transfer-encoding'] ?? '7bit');
  if (type.startsWith('text/html') && !out.html) out.html = decoded;
  else if (type.startsWith('text/plain') && !out.text) out.text = decoded;
}

function decodeTransfer(body: string, encoding: string): string {
  switch (encoding.toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable':
      return qpBytes(body.replace(/=\r?\n/g, '')).toString('utf8');
    default:
      return body.replace(/\r?\n$/, '');
  }
}

function qpBytes(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

/** RFC 2047 encoded words (=?UTF-8?B?…?= / =?UTF-8?Q?…?=); adjacent words are joined before decoding. */
function decodeWords(value: string): string {
  const joined = value.replace(/(\?=)\s+(?==\?)/g, '$1');
  return joined.replace(/(?:=\?[^?]+\?[BbQq]\?[^?]*\?=)+/g, (run) => {
    const bytes: Buffer[] = [];
    for (const m of run.matchAll(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g)) {
      bytes.push(m[2]!.toUpperCase() === 'B' ? Buffer.from(m[3]!, 'base64') : qpBytes(m[3]!.replace(/_/g, ' ')));
    }
    return Buffer.concat(bytes).toString('utf8');
  });
}
