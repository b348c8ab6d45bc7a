import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface RunningServer {
  baseUrl: string;
  /**
   * The code the console SMS provider logged for a phone (waits for it). With `after`, waits for a
   * code logged after that many earlier ones, so a second login never picks up the first code.
   */
  smsCode(phone: string, after?: number): Promise<string>;
  /** How many codes were logged for a phone so far. */
  smsCount(phone: string): number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts `apps/server/src/main.ts` as `npm start` would, on a fresh embedded database. */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = path.resolve(`.tmp/e2e-data-${process.pid}-${port}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    // MAP_TILE_URL=local: the maps draw our own tiles, so no test ever reaches a tile server.
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'info', MAP_TILE_URL: 'local', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${log}`);
    const ok = await fetch(`${baseUrl}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`server did not become ready:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    baseUrl,
    async smsCode(phone, after = 0) {
      for (let i = 0; i < 50; i++) {
        const matches = [...log.matchAll(new RegExp(`SMS code for ${phone}: (\\d{6})`, 'g'))];
        const last = matches.at(-1);
        if (last && matches.length > after) return last[1]!;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no new SMS code logged for ${phone}`);
    },
    smsCount(phone) {
      return [...log.matchAll(new RegExp(`SMS code for ${phone}: `, 'g'))].length;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
