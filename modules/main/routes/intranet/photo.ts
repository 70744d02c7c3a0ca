import { defineErrors } from '../../../../core/errors/portal-error.js';
import type { ImageType } from '../../../../core/files/image-type.js';

export { sniffImage, sniffImageFile, type ImageType } from '../../../../core/files/image-type.js';

/** Largest profile photo accepted. */
export const PHOTO_MAX_BYTES = 2 * 1024 * 1024;

/** Errors of the profile screens. */
export const profileErrors = defineErrors({
  PROFILE_FIELD_INVALID: { status: 400, message: (m) => m || 'A profile field is not valid' },
  PHOTO_NOT_IMAGE: { status: 415, message: (m) => m || 'The photo must be a PNG, JPEG, WebP or GIF image' },
  PHOTO_MISSING: { status: 400, message: (m) => m || 'Choose an image file to upload' },
});

const EXTENSIONS: Record<ImageType, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp', 'image/gif': 'gif' };

/** A stored name whose extension matches the real type, e.g. "photo.png". */
export function photoName(clientName: string, type: ImageType): string {
  const base = clientName.replace(/\.[^.]*$/, '').trim() || 'photo';
  return `${base}.${EXTENSIONS[type]}`;
}
