import { defineConfig } from 'vitest/config';

// Unit and integration tests. Integration tests run on PGlite, and on PostgreSQL too when
// TEST_DATABASE_URL is set (see apps/server/test/global-setup.ts). Browser tests: e2e/vitest.config.ts.
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/server/src/**/*.test.ts', 'apps/server/test/**/*.test.ts'],
    globalSetup: ['apps/server/test/global-setup.ts'],
    testTimeout: 30_000,
    // One retry, so a rare timing flake on a loaded 2-core CI machine does not throw away a whole
    // submission; scripts/test.mjs names every test that needed it, so flakes are seen and fixed.
    retry: 1,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
