import { defineConfig } from 'vitest/config';

// Unit and integration tests. Integration tests run on PGlite, and on PostgreSQL too when
// TEST_DATABASE_URL is set (see apps/server/test/global-setup.ts). Browser tests: e2e/vitest.config.ts.
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/server/src/**/*.test.ts', 'apps/server/test/**/*.test.ts'],
    globalSetup: ['apps/server/test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
