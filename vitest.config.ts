import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests spawn servers and git; two cores here.
    pool: 'forks',
    // CI asks for a JSON report too: it prints its own "N passed, N failed" line from it.
    reporters: process.env.EMBARGO_VITEST_JSON ? ['default', 'json'] : ['default'],
    outputFile: process.env.EMBARGO_VITEST_JSON ? { json: process.env.EMBARGO_VITEST_JSON } : undefined,
  },
});
