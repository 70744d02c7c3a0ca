import { open } from 'node:fs/promises';
import { defineErrors } from '../../../../core/errors/portal-error.js';

/** Largest profile photo accepted. */
export const PHOTO_MAX_BYTES = 2 * 1024 * 1024;

/** Errors of the profile screens. */
export const profileErrors = defineErrors({
  PROFILE_FIELD_INVALID: { status: 400, message: (m) => m || 'A profile field is not valid' },
  PHOTO_NOT_IMAGE: { status: 415, message: (m) => m || 'The photo must be a PNG, JPEG, WebP or GIF image' },
  PHOTO_MISSING: { status: 400, message: (m) => m || 'Choose an image file to upload' },
});

export type ImageType = 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif';

/**
 * The image type from the file's first bytes (the client's name and type are not
 * trusted), or null when it is not a PNG, JPEG, WebP or GIF.
 */
export function sniffImage(head: Buffer): ImageType | null {
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.length >= 6 && ['GIF87a', 'GIF89a'].includes(head.subarray(0, 6).toString('latin1'))) return 'image/gif';
  if (head.length >= 12 && head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return null;
}

export async function sniffImageFile(file: string): Promise<ImageType | null> {
  const fh = await open(file, 'r');
  try {
    const head = Buffer.alloc(16);
    const { bytesRead } = await fh.read(head, 0, 16, 0);
    return sniffImage(head.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

const EXTENSIONS: Record<ImageType, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp', 'image/gif': 'gif' };

/** A stored name whose extension matches the real type, e.g. "photo.png". */
export function photoName(clientName: string, type: ImageType): string {
  const base = clientName.replace(/\.[^.]*$/, '').trim() || 'photo';
  return `${base}.${EXTENSIONS[type]}`;
}
