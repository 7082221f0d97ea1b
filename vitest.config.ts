import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: the browser and child-process suites are heavy, so keep parallelism modest.
    maxWorkers: 2,
  },
});
