import { defineConfig } from 'vitest/config';

// One browser, one service, tests in order: each step builds on the one before (a draft, then its change, ...).
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 420_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    sequence: { concurrent: false },
    globalSetup: ['test/global-setup.ts'],
  },
});
