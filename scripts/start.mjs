// `npm start`: build the H5 and admin apps when their sources are newer than the build, then run
// the server (embedded PGlite in ./data unless DATABASE_URL is set; demo data on first start).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

function newestMtime(target) {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(target).reduce((newest, entry) => Math.max(newest, newestMtime(path.join(target, entry))), stat.mtimeMs);
}

const shared = newestMtime('packages/shared/src');
for (const app of ['apps/h5', 'apps/admin']) {
  const built = newestMtime(path.join(app, 'dist/index.html'));
  const sources = Math.max(shared, ...['src', 'public', 'index.html', 'vite.config.ts'].map((p) => newestMtime(path.join(app, p))));
  if (built < sources) {
    console.log(`Building ${app} …`);
    const result = spawnSync('npm', ['run', '--silent', 'build', '-w', app], { stdio: 'inherit' });
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
}

const server = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
