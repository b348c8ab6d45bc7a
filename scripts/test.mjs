// The one test command (`npm test`): lint, typecheck, unit + integration tests on PGlite and on
// PostgreSQL, build both apps, then browser tests. Ends with the line "N passed, N failed".
// Without TEST_DATABASE_URL it looks for the local PostgreSQL (127.0.0.1:5432, user postgres),
// creates a database for this run and drops it afterwards; with none reachable, PGlite only.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import pg from 'pg';

const skipE2e = process.argv.includes('--no-e2e');
const results = [];
/** Names and first message lines of failed tests, repeated under the summary: a CI log is often read from its tail. */
const failures = [];
/** Tests that failed, then passed on their one retry (vitest `retry: 1`): they pass, but are named so they get looked into. */
const flaky = [];
fs.mkdirSync('.tmp', { recursive: true });

function run(name, command, args, env = {}) {
  console.log(`\n▶ ${name}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const child = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = child.status === 0;
  console.log(`${ok ? '✔' : '✘'} ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return ok;
}

/** A check that is not a test runner (lint, typecheck, build) counts as one test. */
function check(name, command, args) {
  const ok = run(name, command, args);
  results.push({ name, passed: ok ? 1 : 0, failed: ok ? 0 : 1 });
  return ok;
}

/** Runs vitest with a JSON report and counts its tests; a crash with no report counts as one failure. */
function vitest(name, args, env) {
  const report = `.tmp/${name}.json`;
  fs.rmSync(report, { force: true });
  const ok = run(name, 'npx', ['vitest', 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], env);
  let passed = 0;
  let failed = ok ? 0 : 1;
  if (fs.existsSync(report)) {
    const json = JSON.parse(fs.readFileSync(report, 'utf8'));
    passed = json.numPassedTests;
    failed = json.numFailedTests + (ok || json.numFailedTests > 0 ? 0 : 1);
    if (json.numTotalTests === 0) failed += 1; // a suite that ran nothing is a failure
    failures.push(...failedTests(json));
    flaky.push(...flakyTests(json));
  }
  results.push({ name, passed, failed });
}

function failedTests(json) {
  return json.testResults.flatMap((file) => {
    const where = file.name.replace(`${process.cwd()}/`, '');
    const tests = file.assertionResults
      .filter((t) => t.status === 'failed')
      .map((t) => `${where} > ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`);
    // A file that failed to load has no test results, only its own message.
    return tests.length || file.status !== 'failed' ? tests : [`${where}: ${firstLine(file.message)}`];
  });
}

function flakyTests(json) {
  return json.testResults.flatMap((file) =>
    file.assertionResults
      .filter((t) => t.status === 'passed' && t.failureMessages?.length)
      .map((t) => `${file.name.replace(`${process.cwd()}/`, '')} > ${t.fullName}: ${firstLine(t.failureMessages[0])}`),
  );
}

function firstLine(text = '') {
  return text.split('\n').find((line) => line.trim())?.trim().slice(0, 300) ?? '';
}

async function ownPostgresDatabase() {
  if (process.env.TEST_DATABASE_URL) return null;
  const base = 'postgres://postgres@127.0.0.1:5432';
  const client = new pg.Client({ connectionString: `${base}/postgres`, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
  } catch {
    console.log('No PostgreSQL at 127.0.0.1:5432: integration tests run on PGlite only.');
    return null;
  }
  const name = `nx_test_${process.pid}`;
  await client.query(`create database ${name}`);
  await client.end();
  process.env.TEST_DATABASE_URL = `${base}/${name}`;
  return async () => {
    const c = new pg.Client({ connectionString: `${base}/postgres` });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  };
}

const dropOwnDatabase = await ownPostgresDatabase();
try {
  console.log(`Databases: PGlite${process.env.TEST_DATABASE_URL ? ` and PostgreSQL (${process.env.TEST_DATABASE_URL})` : ''}`);
  check('lint', 'npx', ['eslint', '.']);
  check('typecheck', 'npm', ['run', '--silent', 'typecheck']);
  vitest('unit-integration', []);
  if (!skipE2e) {
    const built = check('build', 'npm', ['run', '--silent', 'build']);
    if (built) vitest('e2e', ['--config', 'e2e/vitest.config.ts']);
    else results.push({ name: 'e2e', passed: 0, failed: 1 });
  }
} finally {
  await dropOwnDatabase?.();
}

const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log('\nSummary:');
for (const r of results) console.log(`  ${r.failed ? '✘' : '✔'} ${r.name}: ${r.passed} passed, ${r.failed} failed`);
if (flaky.length) console.log(`\nPassed on retry (flaky: look into these):\n${flaky.map((f) => `  ↻ ${f}`).join('\n')}`);
if (failures.length) console.log(`\nFailed:\n${failures.map((f) => `  ✘ ${f}`).join('\n')}\n`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
