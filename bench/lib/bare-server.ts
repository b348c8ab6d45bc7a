import Fastify from 'fastify';

/** The ceiling: Fastify answering a small JSON object with no auth, no database. */
const app = Fastify({ logger: false });
app.get('/bare', async () => ({ id: '00000000-0000-0000-0000-000000000000', role: 'worker', name: '张伟' }));

/**
 * The cost of an answer's size alone: `?bytes=N` answers a JSON text of N bytes, written once and
 * kept, so a scenario with a large answer can be set beside the same bytes with nothing computed.
 */
const answers = new Map<number, Buffer>();
app.get('/bare-bytes', (request, reply) => {
  const size = Math.min(1_000_000, Math.max(16, Number((request.query as { bytes?: string }).bytes) || 16));
  let answer = answers.get(size);
  if (!answer) {
    answer = Buffer.from(`{"pad":"${'x'.repeat(size - 10)}"}`);
    answers.set(size, answer);
  }
  reply.type('application/json; charset=utf-8').send(answer);
});
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
console.log('ready');
