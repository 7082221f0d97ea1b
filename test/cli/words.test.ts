import { describe, expect, it } from 'vitest';
import { editionLine } from '../../src/cli/editions.js';
import { listLine } from '../../src/cli/lists.js';
import { summaryLines } from '../../src/cli/send.js';
import { importSummaryLine } from '../../src/cli/subscribers.js';
import { loadConfig } from '../../src/config/index.js';
import { RunHealth } from '../../src/delivery/health.js';
import { count } from '../../src/words.js';

/** "1 members", "after 1 attempts", "1 rows": a count of one with a plural noun. */
const wrongPlural = /\b1 (members|editions|rows|attempts|papers|subscribers|messages|times|days|tries|recipients)\b/;

describe('counts in what the CLI says', () => {
  it('count() puts the noun in the right number', () => {
    expect(count(1, 'row')).toBe('1 row');
    expect(count(0, 'row')).toBe('0 rows');
    expect(count(2, 'try', 'tries')).toBe('2 tries');
  });

  it('no message built from counts of one says "1 <plural>"', () => {
    const config = loadConfig({ env: {}, flags: { dataDir: '/tmp/paperboy-words-test' } });
    const ones = { pending: 1, sending: 0, sent: 1, retry: 1, failed: 1, skipped: 1 };
    const limits = { pauseAfterFailures: 1, pauseAfterOutages: 1, maxBouncesInARow: 20, bounceWindow: 200, maxBounceRate: 0.05, pauseAfterPolicyRejects: 1 };
    const lines = [
      ...summaryLines(
        {
          editionId: 1,
          list: 'default',
          day: '2026-08-21',
          queued: 1,
          recovered: 1,
          mayHaveGoneTwice: 1,
          sent: 1,
          failed: 1,
          bounced: 1,
          skipped: 1,
          skippedNoMatch: 1,
          retried: 1,
          counts: ones,
          complete: false,
          interrupted: false,
          durationMs: 1,
          nextRetryAt: '2026-08-21T07:00:00.000Z',
          topFailure: { kind: 'deferred', reason: '451 4.7.1 later', count: 1 },
          connectionsLoweredTo: 1,
        },
        config,
        'paperboy send',
      ),
      importSummaryLine({
        rows: 1,
        added: 1,
        updated: 1,
        unchanged: 1,
        invalid: 1,
        keptSuppressed: 1,
        resubscribed: 1,
        rejected: [],
        dryRun: true,
        delimiter: ';',
        encoding: 'windows-1252',
        ignoredColumns: [],
      }),
      listLine({ name: 'team', description: '', public: false, createdAt: '', activeCount: 1, memberCount: 1 }),
      editionLine({ id: 1, list: 'default', day: '2026-08-21', papers: 1, createdAt: '', counts: ones }),
      new RunHealth(limits).failure('reject', 1, '554').pause!,
      new RunHealth(limits).failure('deferred', 1, '451').pause!,
      new RunHealth(limits).failure('outage', 1, 'refused').pause!,
      new RunHealth(limits).failure('policy', 1, '550 5.7.1').pause!,
    ];
    expect(lines.length).toBeGreaterThan(8);
    for (const line of lines) expect(line, line).not.toMatch(wrongPlural);
    expect(lines.join('\n')).toContain('1 message waits for a retry');
    expect(lines.join('\n')).toContain('1 row (read as semicolon-separated, Windows-1252, not UTF-8)');
  });
});
