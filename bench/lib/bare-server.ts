import Fastify from 'fastify';

/** The ceiling: Fastify answering a small JSON object with no auth, no database. */
const app = Fastify({ logger: false });
app.get('/bare', async () => ({ id: '00000000-0000-0000-0000-000000000000', role: 'worker', name: '张伟' }));

/**
 * The cost of an answer alone: a scenario with a large answer PUTs one of its own answers here
 * once, and `GET /kept` then sends those same bytes with nothing computed. What this row loses
 * against `/bare` is the answer's share (sending it, and the load generator reading it: Chinese
 * text costs the generator more to decode than ASCII of the same size).
 */
let kept: Buffer = Buffer.from('{}');
app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
app.put('/kept', (request, reply) => {
  kept = request.body as Buffer;
  reply.code(204).send();
});
app.get('/kept', (_request, reply) => {
  reply.type('application/json; charset=utf-8').send(kept);
});
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
console.log('ready');
