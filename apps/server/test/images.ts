import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

/** A small JPEG as a phone makes it: EXIF with the camera model, GPS position and a rotation flag. */
export async function phoneJpeg(options: { width?: number; height?: number; color?: string } = {}): Promise<Buffer> {
  const { width = 64, height = 48, color = '#c03030' } = options;
  return sharp({ create: { width, height, channels: 3, background: color } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'NuanxinTestPhone', Model: 'RiderCam 9' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '23/1 24/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '113/1 13/1 0/1' },
    })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG of a few hundred bytes whose header claims `side`×`side` pixels: a decompression bomb. */
export function bombPng(side = 30_000): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(0, 9); // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.alloc(side + 1))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The first bytes of an iPhone HEIC file (ISO-BMFF `ftyp` box, brand `heic`). */
export function heicHeader(): Buffer {
  return Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1'), Buffer.alloc(64)]);
}
