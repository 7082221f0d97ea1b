import { configDefaults, defineConfig } from 'vitest/config';
import { unitTests } from './test/tiers.js';

export default defineConfig({
  test: {
    // Real processes, servers and browsers on a shared 2-core machine: tests that take 15 s on a
    // quiet one took over 90 s with the machine ten times oversubscribed. No test asserts how fast
    // something was (only that a rate limit held a send back, which a slow machine meets too);
    // the limit only catches a hang.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // Two cores: the browser and child-process suites are heavy, so keep parallelism modest.
    maxWorkers: 2,
    // In CI a JSON report too, so .ci/run can end with a plain "N passed, N failed" line.
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results.json' }]] : ['default'],
    // Two tiers (test/tiers.ts says which file is which): `--project unit` needs no build and no server.
    projects: [
      { extends: true, test: { name: 'unit', include: unitTests } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...unitTests],
          // A real PostgreSQL server for the store tests (started here when CI has not given one).
          globalSetup: ['test/setup/postgres.ts'],
          // Every process a test starts is stopped after it, however the test ended.
          setupFiles: ['test/setup/processes.ts'],
        },
      },
    ],
  },
});
