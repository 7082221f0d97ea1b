/** The settings every send bench gives paperboy: in this process (benchConfig) or in a child's environment (paperboyEnv). */
import { loadConfig } from '../src/config/index.js';

/** A config for a send in this process: readers in `dataDir`, the bundled sample papers, a real-looking sender. */
export function benchConfig(work: string, dataDir: string, flags: Record<string, unknown>) {
  return loadConfig({
    env: {},
    cwd: work,
    flags: { dataDir, source: 'sample', 'newsletter.baseUrl': 'https://news.example.org', 'newsletter.from': 'Paperboy <news@example.org>', ...flags },
  });
}

// The test suite's database variable is not paperboy's: paperboy refuses PAPERBOY_* names it does not know.
const { PAPERBOY_TEST_DATABASE_URL: _testDatabase, ...inherited } = process.env;

/** The environment of a `paperboy` child process. */
export const paperboyEnv: NodeJS.ProcessEnv = {
  ...inherited,
  PAPERBOY_SECRET: 'bench-secret-bench-secret',
  PAPERBOY_FROM: 'Paperboy <news@example.org>',
  PAPERBOY_BASE_URL: 'https://news.example.org',
};
