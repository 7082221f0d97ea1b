import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixturesDir, runCli, tempDir } from '../helpers/cli.js';
import { rawItem } from '../helpers/papers.js';
import { freshDatabase, hasPostgres } from '../helpers/postgres.js';

const dir = tempDir('paperboy-papers-');
afterAll(dir.remove);

const source = `file:${fixturesDir}`;
const day = '2026-05-12';
/** DECO: Sparse Mixture-of-Experts…, 31st of its day by upvotes: in no edition of ten. */
const deco = '2605.10933';

describe('paperboy papers', () => {
  it('says how to fill an empty archive, fetches a day whole, and finds a paper far below the top ten', async () => {
    const data = ['--data-dir', join(dir.path, 'fetched')];
    const empty = await runCli([...data, 'papers', 'search', 'mixture of experts']);
    expect(empty.code).toBe(0);
    expect(empty.stdout.trim()).toMatch(/^No days are archived yet: a send keeps every paper of the day it fetches, or run .* papers fetch --date YYYY-MM-DD/);

    const fetched = await runCli([...data, 'papers', 'fetch', '--source', source, '--date', day]);
    expect(fetched.stdout.trim()).toBe(`Kept the 50 papers of ${day} from ${source}: 50 new, 0 updated, 0 unchanged.`);
    const again = await runCli([...data, 'papers', 'fetch', '--source', source, '--date', day, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ day, papers: 50, kept: { added: 0, updated: 0, unchanged: 50 } });

    const found = await runCli([...data, 'papers', 'search', 'mixture', 'of', 'experts']);
    expect(found.code).toBe(0);
    const lines = found.stdout.trim().split('\n');
    // The query language's: DECO by name, SlimQwen as "MoE", SplatWeaver's routed "Gaussian experts".
    expect(lines[0]).toBe('3 papers match "mixture of experts":');
    expect(lines[1]).toMatch(/^\s+#\s+day\s+upvotes\s+title\s+paper\s+edition$/);
    expect(lines.slice(2).join('\n')).toContain(
      `${day}        1  DECO: Sparse Mixture-of-Experts with Dense-Comparable Performan…  https://huggingface.co/papers/${deco}  —`,
    );

    const json = JSON.parse((await runCli([...data, 'papers', 'search', 'mixture of experts', '--json', '--limit', '1'])).stdout);
    expect(json).toMatchObject({ query: 'mixture of experts', total: 3 });
    expect(json.papers).toHaveLength(1);
    expect(json.papers[0]).toMatchObject({ rank: 1, day, edition: null });
    expect(json.papers[0].url).toBe(`https://huggingface.co/papers/${json.papers[0].id}`);

    const none = await runCli([...data, 'papers', 'search', 'zebrafish', '--from', '2026-05-01']);
    expect(none.stdout.trim()).toBe(`Nothing matches "zebrafish" from 2026-05-01 on (the archive holds 50 papers of 1 day, ${day} to ${day}).`);
  });

  it('keeps every paper of the day a send fetched, and names the edition of those it carried', async () => {
    const data = ['--data-dir', join(dir.path, 'sent')];
    expect((await runCli([...data, 'send', '--source', source, '--date', day])).code).toBe(0);
    const json = JSON.parse((await runCli([...data, 'papers', 'search', 'model', '--json', '--limit', '50'])).stdout);
    const carried = json.papers.filter((paper: { edition: unknown }) => paper.edition !== null);
    expect(carried.length).toBeGreaterThan(0);
    expect(carried.length).toBeLessThanOrEqual(10);
    expect(carried[0].edition).toMatchObject({ list: 'default', day });
    expect(json.total).toBeGreaterThan(carried.length);
    const table = (await runCli([...data, 'papers', 'search', 'mixture of experts'])).stdout;
    expect(table).toContain(`https://huggingface.co/papers/${deco}  —`);
  });

  it('says when more papers match than a search ranks, and from which day the newest are', async () => {
    const feeds = join(dir.path, 'feeds');
    mkdirSync(feeds);
    const items = Array.from({ length: 600 }, (_, index) =>
      rawItem({ id: `2601.${String(index).padStart(5, '0')}`, title: 'Zebrafish larvae under a microscope', upvotes: index % 9 }),
    );
    writeFileSync(join(feeds, '2026-01-05.json'), JSON.stringify(items));
    const data = ['--data-dir', join(dir.path, 'many')];
    expect((await runCli([...data, 'papers', 'fetch', '--source', `file:${feeds}`, '--date', '2026-01-05'])).code).toBe(0);
    const found = await runCli([...data, 'papers', 'search', 'zebrafish', '--limit', '3']);
    expect(found.stdout.split('\n')[0]).toBe(
      'More than 500 papers match "zebrafish": the 3 most relevant of the newest 500, from 2026-01-05 on (--to for earlier days):',
    );
    expect(JSON.parse((await runCli([...data, 'papers', 'search', 'zebrafish', '--json'])).stdout)).toMatchObject({ total: 500, rankedSince: '2026-01-05' });
  });

  it('refuses a search without words and days that do not exist, in one line', async () => {
    const data = ['--data-dir', join(dir.path, 'refused')];
    for (const [args, message] of [
      [['papers', 'search', '--', '-!-'], 'paperboy: "-!-" has no word to search for.'],
      [['papers', 'search', 'agents', '--from', '2026-02-30'], 'paperboy: 2026-02-30 does not exist: February 2026 has no day 30.'],
      [
        ['papers', 'search', 'agents', '--from', '2026-05-12', '--to', '2026-05-01'],
        'paperboy: --from 2026-05-12 is after --to 2026-05-01: no day is in between.',
      ],
    ] as const) {
      const result = await runCli([...data, ...args]);
      expect(result.code).toBe(2);
      expect(result.stderr.trim()).toBe(message);
    }
  });

  it.skipIf(!hasPostgres)('fetches and searches a PostgreSQL store alike', async () => {
    const database = await freshDatabase();
    try {
      const data = ['--data-dir', join(dir.path, 'postgres'), '--database-url', database.url];
      expect((await runCli([...data, 'papers', 'fetch', '--source', source, '--date', day])).stdout).toContain('50 new');
      const json = JSON.parse((await runCli([...data, 'papers', 'search', 'mixture of experts', '--json'])).stdout);
      expect(json.total).toBe(3);
      // As on SQLite: the titles that hold the search first (SlimQwen's MoE, then DECO), most upvoted first.
      expect(json.papers.slice(0, 2).map((paper: { id: string }) => paper.id)).toEqual(['2605.08738', deco]);
    } finally {
      await database.drop();
    }
  });
});
