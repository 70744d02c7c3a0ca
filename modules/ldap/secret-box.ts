import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { configInvalid } from './errors.js';

/** Name of the key in the kernel's secret store (main_secrets): every node reads the same one. */
export const BIND_PASSWORD_KEY = 'ldap_bind_passwords';
const VERSION = 'v1';
const AAD = Buffer.from('portal ldap bind password');

/** AES-256-GCM: "v1:" + base64url(12-byte IV | 16-byte tag | ciphertext). */
export function encryptSecret(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(AAD);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

/** The plain text; LDAP_CONFIG_INVALID when the value was not made with this key (never the value itself). */
export function decryptSecret(key: Buffer, sealed: string): string {
  const [version, data] = sealed.split(':');
  const raw = Buffer.from(data ?? '', 'base64url');
  if (version !== VERSION || raw.length < 28) throw configInvalid('The stored bind password cannot be read; enter it again', 'bindPassword', 'storedPassword');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAAD(AAD);
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    throw configInvalid('The stored bind password cannot be read; enter it again', 'bindPassword', 'storedPassword');
  }
}
