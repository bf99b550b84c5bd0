import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores here: e2e tests start servers and child processes; more parallelism only adds noise.
    maxWorkers: 2,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
