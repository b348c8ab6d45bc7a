import sharp, { type Metadata } from 'sharp';
import { MEDIA_LIMITS } from '@nuanxin/shared';
import { AppError } from '../../common/errors.ts';

export interface NormalizedPhoto {
  full: Buffer;
  thumb: Buffer;
  width: number;
  height: number;
}

type Sniffed = 'jpeg' | 'png' | 'webp' | 'heic' | null;

/** What the bytes are, by their first bytes — the Content-Type header is only the sender's claim. */
export function sniffImage(bytes: Buffer): Sniffed {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  // ISO-BMFF with an HEIF brand: what iPhones save by default.
  if (bytes.length >= 12 && bytes.toString('latin1', 4, 8) === 'ftyp' && /^(heic|heix|hevc|hevx|heim|heis|mif1|msf1)$/.test(bytes.toString('latin1', 8, 12))) return 'heic';
  return null;
}

/**
 * Checks an upload and re-encodes it: EXIF orientation applied, then every piece of metadata
 * (GPS, camera, time) dropped, because sharp writes none unless asked. The pixel limit is checked
 * from the header before anything is decoded, so a small file that would decode to gigabytes
 * (a decompression bomb) costs nothing.
 */
export async function normalizePhoto(bytes: Buffer): Promise<NormalizedPhoto> {
  const kind = sniffImage(bytes);
  if (kind === null) throw new AppError('IMAGE_UNSUPPORTED');
  // Sharp's prebuilt libvips has no HEVC decoder; the H5 converts on the phone before upload.
  if (kind === 'heic') throw new AppError('IMAGE_HEIC_UNSUPPORTED');

  const options = { limitInputPixels: MEDIA_LIMITS.maxPixels, failOn: 'error' as const };
  let meta: Metadata;
  try {
    meta = await sharp(bytes, options).metadata();
  } catch (err) {
    throw unreadable(err);
  }
  if (!meta.width || !meta.height) throw new AppError('IMAGE_UNREADABLE');
  const pageHeight = meta.pageHeight ?? meta.height;
  if (meta.width * pageHeight > MEDIA_LIMITS.maxPixels) throw new AppError('IMAGE_TOO_LARGE', { maxPixels: MEDIA_LIMITS.maxPixels });

  try {
    const upright = sharp(bytes, options).rotate().flatten({ background: '#ffffff' });
    const full = await upright
      .clone()
      .resize({ width: MEDIA_LIMITS.fullEdge, height: MEDIA_LIMITS.fullEdge, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 80, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    const thumb = await upright
      .clone()
      .resize({ width: MEDIA_LIMITS.thumbEdge, height: MEDIA_LIMITS.thumbEdge, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 70, mozjpeg: true })
      .toBuffer();
    return { full: full.data, thumb, width: full.info.width, height: full.info.height };
  } catch (err) {
    throw unreadable(err);
  }
}

/** Sharp refuses an over-large header itself ("exceeds pixel limit"); anything else is a broken file. */
function unreadable(err: unknown): AppError {
  if (err instanceof Error && /pixel limit/i.test(err.message)) return new AppError('IMAGE_TOO_LARGE', { maxPixels: MEDIA_LIMITS.maxPixels });
  return new AppError('IMAGE_UNREADABLE');
}
