import { MEDIA_LIMITS, UPLOAD_CONTENT_TYPES, mediaParams, mediaQuery, mediaRoutes as routes } from '@nuanxin/shared';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { Authenticator } from '../../common/access.ts';
import { AppError } from '../../common/errors.ts';
import { addRoute } from '../../common/route.ts';
import type { MediaService } from './media.service.ts';

export function registerMediaRoutes(app: FastifyInstance, auth: Authenticator, media: MediaService) {
  const tags = ['media'];
  // Image bodies arrive as raw bytes, up to the upload limit (JSON bodies keep the 1 MiB limit).
  app.addContentTypeParser([...UPLOAD_CONTENT_TYPES], { parseAs: 'buffer', bodyLimit: MEDIA_LIMITS.maxBytes }, (_request, body, done) => done(null, body));

  // Anyone logged in may upload: workers for reports and claims, staff for results and stations.
  addRoute(app, auth, routes.upload, {
    access: { who: 'authenticated', scope: 'self' },
    tags,
    handler: async ({ actor, request }) => {
      if (!Buffer.isBuffer(request.body) || request.body.length === 0) throw new AppError('IMAGE_UNSUPPORTED');
      return media.upload(actor, request.body);
    },
  });

  // The signature in the link is the permission (an <img> sends no bearer token): registered by
  // hand because the answer is a JPEG, not JSON.
  app.get(routes.read.path, {
    config: { access: { who: 'public' } },
    schema: { summary: routes.read.summary, tags, params: mediaParams, querystring: mediaQuery },
    handler: async (request, reply) => {
      const { id } = request.params as z.output<typeof mediaParams>;
      const { v, size } = request.query as z.output<typeof mediaQuery>;
      const photo = await media.read(id, v, size);
      reply.header('cache-control', `private, max-age=${photo.maxAgeSeconds}, immutable`);
      reply.header('x-content-type-options', 'nosniff');
      return reply.type('image/jpeg').send(photo.bytes);
    },
  });
}
