import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // *.test.tsx: the web app's component tests (React in happy-dom).
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // The web tests run against the production build: made here when missing or stale.
    globalSetup: ['test/support/web-build.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests spawn servers and git; two cores here.
    pool: 'forks',
    // The store's check that no store.write / store.read runs inside a write (off in production: see
    // writeScope in src/store/store.ts).
    env: { EMBARGO_STORE_CHECKS: '1' },
    // CI asks for a JSON report too: it prints its own "N passed, N failed" line from it.
    reporters: process.env.EMBARGO_VITEST_JSON ? ['default', 'json'] : ['default'],
    outputFile: process.env.EMBARGO_VITEST_JSON ? { json: process.env.EMBARGO_VITEST_JSON } : undefined,
  },
});
