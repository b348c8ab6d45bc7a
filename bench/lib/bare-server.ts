import Fastify from 'fastify';

/** The ceiling: Fastify answering a small JSON object with no auth, no database. */
const app = Fastify({ logger: false });
app.get('/bare', async () => ({ id: '00000000-0000-0000-0000-000000000000', role: 'worker', name: '张伟' }));
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
console.log('ready');
