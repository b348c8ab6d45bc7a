import { z } from 'zod';

/**
 * Photos (cases, claims, stations …). The phone uploads the image bytes on their own, gets an id,
 * and then names that id in the form it submits; the server re-encodes every photo as JPEG
 * without EXIF (no GPS, no phone model) and makes a thumbnail.
 */
export const MEDIA_LIMITS = {
  /** Bytes of one upload, as sent. */
  maxBytes: 10 * 1024 * 1024,
  /** Decoded pixels (width × height): refuses decompression bombs before they are decoded. */
  maxPixels: 40_000_000,
  /** Longest edge of the stored photo and of its thumbnail. */
  fullEdge: 2048,
  thumbEdge: 400,
  /** Photos attached to one report, claim or station. */
  maxPhotos: 9,
} as const;

/** Content types the upload route accepts; the bytes are checked again, whatever the header says. */
export const UPLOAD_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif', 'application/octet-stream'] as const;

/** A photo as a page shows it: signed links that work in an `<img>` without a login, for a day or two. */
export const photoSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  thumbUrl: z.string(),
});
export type Photo = z.infer<typeof photoSchema>;

export const uploadedPhotoSchema = photoSchema.extend({
  width: z.number().int(),
  height: z.number().int(),
  bytes: z.number().int(),
});
export type UploadedPhoto = z.infer<typeof uploadedPhotoSchema>;

/** The ids a form names: at most nine, each once. */
export const photoIds = z
  .array(z.uuid())
  .max(MEDIA_LIMITS.maxPhotos)
  .refine((ids) => new Set(ids).size === ids.length, { message: 'duplicate photo' });

export const mediaParams = z.strictObject({ id: z.uuid() });
export const mediaQuery = z.strictObject({
  /** `<expiry>.<signature>`, issued with the link. */
  v: z.string().regex(/^\d{1,12}\.[\w-]{16,64}$/),
  size: z.enum(['full', 'thumb']).default('full'),
});
