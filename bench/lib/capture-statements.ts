import fs from 'node:fs';
import pg from 'pg';

/**
 * Loaded into a server process with `--import` (see `startOnPostgres({ captureStatements })`):
 * counts every statement the process sends over `pg` and keeps the recent ones, so a bench can
 * print round trips per request and replay a route's exact SQL over raw `pg` as its ceiling.
 * On SIGUSR2 it writes what it saw since the last signal to BENCH_STATEMENTS_FILE and starts over.
 */
const file = process.env.BENCH_STATEMENTS_FILE;
if (!file) throw new Error('BENCH_STATEMENTS_FILE is not set');
const KEEP = 2_000;
let count = 0;
let recent: Array<{ text: string; values: unknown[] }> = [];

type Query = (this: pg.Client, ...args: unknown[]) => unknown;
const original = pg.Client.prototype.query as unknown as Query;
(pg.Client.prototype as unknown as { query: Query }).query = function (this: pg.Client, ...args: unknown[]) {
  count++;
  const [first, second] = args;
  const text = typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '');
  if (recent.length < KEEP) recent.push({ text, values: Array.isArray(second) ? second : [] });
  return original.apply(this, args);
};

process.on('SIGUSR2', () => {
  // Written aside and renamed, so the reader never sees half a file.
  fs.writeFileSync(`${file}.part`, JSON.stringify({ count, statements: recent }));
  fs.renameSync(`${file}.part`, file);
  count = 0;
  recent = [];
});
