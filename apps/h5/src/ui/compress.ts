/** Longest edge sent from the phone: enough to see a pothole, small enough for a weak signal. */
const MAX_EDGE = 1600;
const QUALITY = 0.8;

/**
 * Shrinks a camera photo on the phone before upload (a 12-MP photo becomes ~300 KB) and turns
 * HEIC, which the server cannot read, into JPEG. The browser applies the EXIF rotation while
 * decoding and the canvas writes no metadata, so position and camera data stay on the phone.
 * If the browser cannot decode the file, it is sent as it is and the server decides.
 */
export async function compressPhoto(file: File): Promise<Blob> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    return file;
  }
  const scale = Math.min(1, MAX_EDGE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  const context = canvas.getContext('2d');
  if (!context) return file;
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', QUALITY));
  // Keep whichever is smaller: a tiny PNG screenshot may beat its JPEG.
  return blob && (blob.size < file.size || file.type === 'image/heic' || file.type === 'image/heif') ? blob : file;
}
