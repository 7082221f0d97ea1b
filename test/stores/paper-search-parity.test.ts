/**
 * The same search finds the same papers on SQLite (FTS5) and on PostgreSQL (tsvector): each
 * expression below is written once per engine to mean the same thing, and both stores hold the
 * ten readable fixture days, and ranks them in the same order. The engines stem apart: FTS5's
 * Porter reads "general" as "generation", PostgreSQL's Snowball does not. The expressions here
 * avoid that known difference, so any other shows up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineMatch, Paper, PaperSearchPage } from '../../src/papers/index.js';
import { engineMatch } from '../../src/search/index.js';
import { fixturePapers } from '../helpers/papers.js';
import { type StoreWorld, storeBackends } from '../helpers/store-worlds.js';

const days = ['2024-06-13', '2025-01-21', '2025-03-17', '2025-10-03', '2026-05-12', '2026-08-17', '2026-08-18', '2026-08-19', '2026-08-20', '2026-08-21'];

/** FTS5's NEAR(a b, n): at most n words between them, either order; in a tsquery, each distance spelt out. */
function near(a: string, b: string, words: number): EngineMatch {
  const distances = Array.from({ length: words + 1 }, (_, index) => index + 1);
  return {
    fts5: `NEAR("${a}" "${b}", ${words})`,
    tsquery: distances.flatMap((distance) => [`'${a}' <${distance}> '${b}'`, `'${b}' <${distance}> '${a}'`]).join(' | '),
  };
}

/** Each with the number of papers it finds on the fixture days, so that an expression that finds nothing on both cannot pass. */
const searches: [string, EngineMatch, number][] = [
  ['a word', { fts5: '"agent"', tsquery: "'agent'" }, 65],
  ['a word, stemmed', { fts5: '"quantized"', tsquery: "'quantized'" }, 3],
  ['two words anywhere', { fts5: '"video" AND "generation"', tsquery: "'video' & 'generation'" }, 27],
  ['a phrase', { fts5: '"long context"', tsquery: "'long' <-> 'context'" }, 7],
  ['a phrase through a hyphen and a stop word', { fts5: '"mixture of experts"', tsquery: "'mixture' <-> 'of' <-> 'experts'" }, 4],
  ['a phrase', { fts5: '"reinforcement learning"', tsquery: "'reinforcement' <-> 'learning'" }, 29],
  ['either word', { fts5: '"diffusion" OR "quantization"', tsquery: "'diffusion' | 'quantization'" }, 33],
  ['one word, not another', { fts5: '"agent" NOT "benchmark"', tsquery: "'agent' & !'benchmark'" }, 26],
  ['two words near each other', near('reinforcement', 'reasoning', 5), 11],
  ['two words near each other', near('image', 'editing', 10), 10],
];

const key = (paper: Paper) => `${paper.day} ${paper.id}`;
const found = (page: PaperSearchPage) => page.hits.map((hit) => key(hit.paper)).sort();

describe.skipIf(storeBackends().length < 2)('the same search on SQLite and PostgreSQL', () => {
  let worlds: StoreWorld[];
  beforeAll(async () => {
    worlds = await Promise.all(storeBackends().map(([, open]) => open()));
    for (const world of worlds) for (const day of days) await world.stores.papers.keepDay(day, 'file', fixturePapers(day));
  });
  afterAll(async () => {
    await Promise.all(worlds.map((world) => world.close()));
  });

  it.each(searches)('finds the same papers: %s (%j)', async (_what, match, expected) => {
    const [sqlite, postgres] = await Promise.all(worlds.map((world) => world.stores.papers.searchPapers(match, { limit: 200, offset: 0 })));
    expect(sqlite!.total).toBe(expected);
    expect(found(postgres!)).toEqual(found(sqlite!));
    expect(postgres!.total).toBe(sqlite!.total);
  });

  // Both rank by where a paper holds the search (title, keywords, the rest), then upvotes, day and
  // id. Not "generation": VideoGAIA's title says "General", which only Porter reads as generation.
  it.each(searches.filter(([, match]) => !match.fts5.includes('generation')))('ranks them in the same order: %s (%j)', async (_what, match) => {
    const [sqlite, postgres] = await Promise.all(worlds.map((world) => world.stores.papers.searchPapers(match, { limit: 200, offset: 0 })));
    expect(postgres!.hits.map((hit) => key(hit.paper))).toEqual(sqlite!.hits.map((hit) => key(hit.paper)));
  });

  // The query language's own expressions: PostgreSQL asks its index for a tsquery's words alone
  // (tsqueryWords) and checks the tsquery on the papers it reads; it must find what FTS5 finds.
  it.each(['mixture of experts', 'long context', 'agent', 'RAG', 'reinforcement learning', 'LLM', '3D gaussian splatting', 'robotics', '"diffusion model"'])(
    'finds the same papers through the query language: %s',
    async (query) => {
      const match = engineMatch([query])!;
      const [sqlite, postgres] = await Promise.all(worlds.map((world) => world.stores.papers.searchPapers(match, { limit: 200, offset: 0 })));
      expect(sqlite!.total).toBeGreaterThan(0);
      expect(found(postgres!)).toEqual(found(sqlite!));
    },
  );

  it('breaks ties alike: more upvotes first, then the newer day, then the id', async () => {
    const twin = (id: string, day: string, upvotes: number): Paper => ({
      id,
      day,
      upvotes,
      title: 'Zebrafish locomotion under a microscope',
      summary: 'We film zebrafish larvae.',
      authors: ['A. Author'],
      comments: 0,
      keywords: [],
    });
    const twins = [
      twin('2601.00003', '2026-01-02', 5),
      twin('2601.00002', '2026-01-02', 5),
      twin('2601.00009', '2026-01-01', 5),
      twin('2601.00001', '2026-01-01', 9),
    ];
    for (const world of worlds) for (const paper of twins) await world.stores.papers.keepDay(paper.day, 'file', [paper]);
    const orders = await Promise.all(
      worlds.map(async (world) => (await world.stores.papers.searchPapers({ fts5: '"zebrafish"', tsquery: "'zebrafish'" }, { limit: 10, offset: 0 })).hits),
    );
    for (const hits of orders) expect(hits.map((hit) => hit.paper.id)).toEqual(['2601.00001', '2601.00002', '2601.00003', '2601.00009']);
  });
});
