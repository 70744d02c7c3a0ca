import { defineErrors } from '../../../../core/errors/portal-error.js';
import type { ImageType } from '../../../../core/files/image-type.js';
import { sniffImageFile } from '../../../../core/files/image-type.js';
import type { Kernel } from '../../../../core/kernel.js';

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

/**
 * Makes an uploaded file the user's photo: checks it is an image, stores it, points the user at it and
 * deletes the previous photo (or the new file again when the update fails). Shared by the profile and the admin user form.
 */
export async function replacePhoto(kernel: Kernel, userId: number, file: { name: string; size: number; tmpPath: string } | undefined, createdBy: number): Promise<void> {
  if (!file || file.size === 0) throw profileErrors.PHOTO_MISSING();
  const type = await sniffImageFile(file.tmpPath);
  if (!type) throw profileErrors.PHOTO_NOT_IMAGE();
  const stored = await kernel.files.save({ module: 'main', name: photoName(file.name, type), mimeType: type, path: file.tmpPath, createdBy });
  const previous = (await kernel.users.get(userId)).photoFileId;
  try {
    await kernel.users.update(userId, { photoFileId: stored.id });
  } catch (err) {
    await kernel.files.delete(stored.id).catch(() => undefined);
    throw err;
  }
  if (previous) await kernel.files.delete(previous).catch(() => undefined);
}

/** Removes the user's photo (and its file). */
export async function removePhoto(kernel: Kernel, userId: number): Promise<void> {
  const previous = (await kernel.users.get(userId)).photoFileId;
  if (!previous) return;
  await kernel.users.update(userId, { photoFileId: null });
  await kernel.files.delete(previous).catch(() => undefined);
}
