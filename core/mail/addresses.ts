// local@domain: no spaces, quotes or brackets; the domain is letters/digits/dots/hyphens (IDN allowed).
const ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)*$/u;
// "Display Name" <addr>  or  Display Name <addr>
const NAMED = /^(?:"(?:[^"\\\r\n]|\\.)*"|[^<>"\r\n]*?)\s*<([^<>\s]+)>$/;

export function isEmailAddress(value: string): boolean {
  return value.length <= 254 && ADDRESS.test(value);
}

/**
 * Parses "a@x, Name <b@y>; \"Doe, J\" <c@z>" into bare addresses; undefined when the
 * list is empty, has a line break, or any entry is not exactly one valid mailbox.
 */
export function parseAddressList(value: string): string[] | undefined {
  if (/[\r\n\u0000]/.test(value)) return undefined;
  const out: string[] = [];
  for (const token of splitList(value)) {
    const entry = token.trim();
    if (entry === '') continue;
    const address = NAMED.exec(entry)?.[1] ?? entry;
    if (!isEmailAddress(address)) return undefined;
    out.push(address);
  }
  return out.length > 0 ? out : undefined;
}

/** Splits on , and ; outside quotes and angle brackets. */
function splitList(value: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let quoted = false;
  let angled = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (quoted && ch === '\\') {
      current += ch + (value[++i] ?? '');
      continue;
    }
    if (ch === '"' && !angled) quoted = !quoted;
    else if (ch === '<' && !quoted) angled = true;
    else if (ch === '>' && !quoted) angled = false;
    else if ((ch === ',' || ch === ';') && !quoted && !angled) {
      tokens.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  tokens.push(current);
  return tokens;
}
