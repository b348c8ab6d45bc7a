import { defineConfig } from 'vitest/config';

// Browser tests: a real server process (PGlite in a temp dir) driven by Debian's Chromium.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    testTimeout: 60_000,
    retry: 1, // as in vitest.config.ts: a flake is retried once and named in the summary
    hookTimeout: 90_000,
    fileParallelism: false,
  },
});
