import { defineRoute } from './contract.ts';
import { mediaParams, mediaQuery, uploadedPhotoSchema } from './media.ts';

/**
 * Photo upload and download. The upload's body is the image itself (`Content-Type: image/jpeg` …),
 * sent with `call(mediaRoutes.upload, {}, { file })`; the download is the signed link a resource
 * handed out, so an `<img>` can show it.
 */
export const mediaRoutes = {
  upload: defineRoute({ method: 'POST', path: '/api/v1/media', summary: 'Upload a photo (body: the image bytes); returns its id and links', response: uploadedPhotoSchema }),
  read: defineRoute({ method: 'GET', path: '/api/v1/media/:id', summary: 'A photo by its signed link (JPEG)', params: mediaParams, query: mediaQuery, response: null }),
};
