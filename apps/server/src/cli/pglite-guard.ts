import fs from 'node:fs';
import path from 'node:path';

/** The embedded database belongs to one process at a time: `npm start` marks it while it runs. */
export const pidFile = (dataDir: string) => path.join(dataDir, 'server.pid');

export function markPGliteInUse(dataDir: string): () => void {
  const file = pidFile(dataDir);
  fs.writeFileSync(file, String(process.pid));
  return () => fs.rmSync(file, { force: true });
}

/** Stops a command that would open the embedded database while the server has it open (two writers corrupt it). */
export function refuseWhilePGliteServes(dataDir: string): void {
  const file = pidFile(dataDir);
  if (!fs.existsSync(file)) return;
  const pid = Number(fs.readFileSync(file, 'utf8'));
  try {
    process.kill(pid, 0);
  } catch {
    return; // a server that crashed left its mark behind; nobody has the database open
  }
  console.error(`the server (pid ${pid}) is using the embedded database in ${dataDir}: stop it first`);
  process.exit(2);
}
