import type { FastifyRequest } from 'fastify';
import { AppError } from './errors.ts';

/**
 * The `Idempotency-Key` a mobile write must carry. The services store it with what they create
 * (a voucher, a claim, a transfer key), so a retry finds the first result instead of a second one.
 */
export function idempotencyKey(request: FastifyRequest): string {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string' || !/^[A-Za-z0-9_-]{8,80}$/.test(key)) throw new AppError('IDEMPOTENCY_KEY_REQUIRED');
  return key;
}
