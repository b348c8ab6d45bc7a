import type { FastifyBaseLogger } from 'fastify';

export interface Job {
  name: string;
  everyMs: number;
  run: () => Promise<number>;
}

/**
 * Runs background jobs on a timer in this process. Each job is written to be safe with several
 * server processes doing the same (row locks with SKIP LOCKED), so no leader election is needed.
 */
export function startJobs(jobs: Job[], log: FastifyBaseLogger): () => void {
  const timers = jobs.map((job) => {
    let running = false;
    return setInterval(() => {
      if (running) return;
      running = true;
      job
        .run()
        .then((n) => n > 0 && log.info({ job: job.name, n }, 'job done'))
        .catch((err: unknown) => log.error({ err, job: job.name }, 'job failed'))
        .finally(() => (running = false));
    }, job.everyMs).unref();
  });
  return () => timers.forEach(clearInterval);
}
