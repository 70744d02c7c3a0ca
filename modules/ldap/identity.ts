/**
 * The stable identity of a directory entry: OpenLDAP's entryUUID (text) or Active
 * Directory's objectGUID (16 bytes). Both are kept as 32 lower-case hex digits of the
 * 16 bytes, so a rename or a move (a new DN) keeps the same portal user.
 */
export function identityOf(value: unknown): string | null {
  const one = Array.isArray(value) ? value[0] : value;
  if (Buffer.isBuffer(one)) return one.length === 16 ? one.toString('hex') : null;
  if (typeof one !== 'string') return null;
  const hex = one.replace(/[{}-]/g, '').toLowerCase();
  return /^[0-9a-f]{32}$/.test(hex) ? hex : null;
}

/** AD's text form of a GUID ({xxxxxxxx-…}) from its 16 bytes: the first three groups little-endian. */
export function guidText(bytes: Buffer): string {
  const h = (from: number, to: number, reverse: boolean) => {
    const part = [...bytes.subarray(from, to)];
    return (reverse ? part.reverse() : part).map((b) => b.toString(16).padStart(2, '0')).join('');
  };
  return `${h(0, 4, true)}-${h(4, 6, true)}-${h(6, 8, true)}-${h(8, 10, false)}-${h(10, 16, false)}`;
}
