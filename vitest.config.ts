import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Worker-thread pools inside tests: keep test files in forks so each gets its own threads.
    pool: 'forks',
  },
});
