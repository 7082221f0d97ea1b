/**
 * The papers archive, one behaviour on both backends: every paper of a fetched day kept once and
 * updated in place, read back whole, searched with the store's own full-text engine (ranked, paged,
 * bounded by days, each hit with the edition that carried it), and the sample papers cleared with
 * the demo.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { comparePapers, type EngineMatch, type Paper, searchWindow } from '../../src/papers/index.js';
import { createOrResumeEdition } from '../../src/pipeline/index.js';
import { engineMatch } from '../../src/search/index.js';
import type { Stores } from '../../src/stores/index.js';
import { fixturesDir } from '../helpers/files.js';
import { fixturePapers } from '../helpers/papers.js';
import { type StoreWorld, storeBackends } from '../helpers/store-worlds.js';

const day = '2026-05-12';
const source = `file:${fixturesDir}`;
/** One word, in each engine's syntax. */
const word = (text: string): EngineMatch => ({ fts5: `"${text}"`, tsquery: `'${text}'` });
const ids = (papers: readonly Paper[]) => papers.map((paper) => paper.id);

describe.each(storeBackends({ source }))('the papers archive on %s', (_backend, open) => {
  let world: StoreWorld;
  let stores: Stores;
  beforeEach(async () => {
    world = await open();
    stores = world.stores;
  });
  afterEach(() => world.close());

  it('keeps every paper of a day once, reads them back whole, and a refetch updates only what changed', async () => {
    const papers = fixturePapers(day);
    expect(papers).toHaveLength(50);
    expect(await stores.papers.newestDay()).toBeUndefined();
    expect(await stores.papers.keepDay(day, source, papers)).toEqual({ added: 50, updated: 0, unchanged: 0 });
    expect(await stores.papers.papersOfDay(day)).toEqual([...papers].sort(comparePapers));
    expect(await stores.papers.keepDay(day, source, papers)).toEqual({ added: 0, updated: 0, unchanged: 50 });

    // Later that day: more upvotes for one, new keywords for another.
    const [first, second] = papers as [Paper, Paper, ...Paper[]];
    const later = papers.map((paper) =>
      paper === first ? { ...paper, upvotes: paper.upvotes + 40 } : paper === second ? { ...paper, keywords: ['zebrafish locomotion'] } : paper,
    );
    expect(await stores.papers.keepDay(day, source, later)).toEqual({ added: 0, updated: 2, unchanged: 48 });
    const kept = await stores.papers.papersOfDay(day);
    expect(kept).toHaveLength(50);
    expect(kept[0]).toEqual({ ...first, upvotes: first.upvotes + 40 });
    // The search index follows the row: the new keyword is found, the paper's old keywords no longer count.
    expect(ids((await stores.papers.searchPapers(word('zebrafish'), { limit: 10, offset: 0 })).hits.map((hit) => hit.paper))).toEqual([second.id]);
    expect(await stores.papers.extent()).toEqual({ days: 1, papers: 50, first: day, last: day });
    expect(await stores.papers.papersOfDay('2026-05-13')).toEqual([]);
  });

  it('keeps the days an edition reads, and names the edition that carried each hit', async () => {
    const made = await createOrResumeEdition(world.config, stores.editions, { list: 'default', day, archive: stores.papers });
    expect(made.kind).toBe('created');
    if (made.kind !== 'created') return;
    expect(await stores.papers.papersOfDay(day)).toHaveLength(50); // all of them, not the edition's 10
    const page = await stores.papers.searchPapers(word('model'), { limit: 50, offset: 0 });
    expect(page.total).toBeGreaterThan(10);
    const inEdition = new Set(ids(made.edition.papers));
    for (const hit of page.hits) {
      expect(hit.edition).toEqual(inEdition.has(hit.paper.id) ? { id: made.edition.id, list: 'default', day } : undefined);
    }
    expect(page.hits.filter((hit) => hit.edition).length).toBeGreaterThan(0);

    // A week's edition reads every day of it: each is kept whole.
    await createOrResumeEdition(world.config, stores.editions, { list: 'default', day: '2026-W34', archive: stores.papers });
    expect(await stores.papers.extent()).toEqual({ days: 6, papers: 50 + 23 + 29 + 26 + 15 + 17, first: '2026-05-12', last: '2026-08-21' });
    expect(await stores.papers.newestDay()).toBe('2026-08-21');
    // A rehearsal keeps nothing.
    await createOrResumeEdition(world.config, stores.editions, { list: 'default', day: '2025-10-03', archive: stores.papers, persist: false });
    expect(await stores.papers.papersOfDay('2025-10-03')).toEqual([]);
  });

  it('pages through the matches, bounded by days, with the total of all of them', async () => {
    for (const each of ['2026-08-17', '2026-08-18', '2026-08-19']) await stores.papers.keepDay(each, source, fixturePapers(each));
    const all = await stores.papers.searchPapers(word('agent'), { limit: 100, offset: 0 });
    expect(all.total).toBe(all.hits.length);
    expect(all.total).toBeGreaterThan(6);
    const first = await stores.papers.searchPapers(word('agent'), { limit: 3, offset: 0 });
    const second = await stores.papers.searchPapers(word('agent'), { limit: 3, offset: 3 });
    expect(first.total).toBe(all.total);
    expect([...first.hits, ...second.hits]).toEqual(all.hits.slice(0, 6));
    const pastTheEnd = await stores.papers.searchPapers(word('agent'), { limit: 3, offset: 500 });
    expect(pastTheEnd).toEqual({ total: all.total, hits: [] });

    const middle = await stores.papers.searchPapers(word('agent'), { from: '2026-08-18', to: '2026-08-18', limit: 100, offset: 0 });
    // Bounds choose the papers; each keeps its relevance, so they come in the order they had among all.
    expect(middle.hits).toEqual(all.hits.filter((hit) => hit.paper.day === '2026-08-18'));
    expect(middle.total).toBeGreaterThan(0);
    const later = await stores.papers.searchPapers(word('agent'), { from: '2026-08-19', limit: 100, offset: 0 });
    expect(later.hits.every((hit) => hit.paper.day === '2026-08-19')).toBe(true);
    const earlier = await stores.papers.searchPapers(word('agent'), { to: '2026-08-17', limit: 100, offset: 0 });
    expect(earlier.total + middle.total + later.total).toBe(all.total);
    expect(await stores.papers.searchPapers(word('zebrafish'), { limit: 10, offset: 0 })).toEqual({ total: 0, hits: [] });
  });

  it('ranks a title match above a keyword match above papers found through their summary, and those by upvotes', async () => {
    const paper = (id: string, upvotes: number, where: Partial<Paper>): Paper => ({
      id,
      day,
      upvotes,
      title: 'Locomotion under a microscope',
      summary: 'We film larvae swimming.',
      authors: ['A. Author'],
      comments: 0,
      keywords: ['larvae'],
      ...where,
    });
    await stores.papers.keepDay(day, source, [
      paper('2605.00001', 50, { summary: 'We film zebrafish larvae, and zebrafish again, and zebrafish once more.' }),
      paper('2605.00002', 1, { title: 'Zebrafish locomotion under a microscope' }),
      paper('2605.00003', 90, { summary: 'We film zebrafish larvae swimming.' }),
      paper('2605.00004', 2, { keywords: ['zebrafish', 'larvae'] }),
      paper('2605.00005', 99, {}),
    ]);
    const page = await stores.papers.searchPapers(word('zebrafish'), { limit: 10, offset: 0 });
    expect(ids(page.hits.map((hit) => hit.paper))).toEqual(['2605.00002', '2605.00004', '2605.00003', '2605.00001']);
  });

  it('indexes what alerts read: a search for RAG finds GraphRAG, one for agent or multi agent a Multi-Agent title', async () => {
    const graphRag: Paper = {
      id: '2605.00042',
      day,
      upvotes: 3,
      title: 'GraphRAG-Bench: Evaluating Graph Retrieval over Knowledge Graphs',
      summary: 'We compare graph-based retrieval pipelines.',
      authors: ['A. Author'],
      comments: 0,
      keywords: [],
    };
    await stores.papers.keepDay(day, source, [...fixturePapers(day), graphRag]);
    const titles = async (query: string) =>
      (await stores.papers.searchPapers(engineMatch([query])!, { limit: 100, offset: 0 })).hits.map((hit) => hit.paper.title.replace(/\s+/g, ' '));
    expect(await titles('RAG')).toContain(graphRag.title);
    const multiAgent = [
      'TMAS: Scaling Test-Time Compute via Multi-Agent Synergy',
      'AgentForesight: Online Auditing for Early Failure Prediction in Multi-Agent Systems',
    ];
    for (const query of ['agent', 'multi agent', 'multi-agent']) expect(await titles(query)).toEqual(expect.arrayContaining(multiAgent));
    // A paper's new words replace its old ones in the index.
    await stores.papers.keepDay(day, source, [{ ...graphRag, title: 'Graph-Bench: Evaluating Graph Retrieval over Knowledge Graphs' }]);
    expect(await titles('RAG')).not.toContain('Graph-Bench: Evaluating Graph Retrieval over Knowledge Graphs');
    expect(await titles('graph retrieval')).toContain('Graph-Bench: Evaluating Graph Retrieval over Knowledge Graphs');
  });

  it(`ranks the newest ${searchWindow} matches when more match, and says from which day`, async () => {
    // 200 zebrafish papers a day on three days: 600 match, the newest 500 are ranked.
    const zebrafish = (day: string, index: number): Paper => ({
      id: `${day.slice(2, 4)}${day.slice(5, 7)}.${day.slice(8)}${String(index).padStart(3, '0')}`,
      day,
      upvotes: index % 7,
      title: index % 50 === 0 ? 'Zebrafish larvae under a microscope' : 'Larvae under a microscope',
      summary: 'We film zebrafish larvae swimming.',
      authors: ['A. Author'],
      comments: 0,
      keywords: [],
    });
    const days = ['2026-01-01', '2026-01-02', '2026-01-03'];
    for (const each of days)
      await stores.papers.keepDay(
        each,
        source,
        Array.from({ length: 200 }, (_, index) => zebrafish(each, index)),
      );
    const first = await stores.papers.searchPapers(word('zebrafish'), { limit: 20, offset: 0 });
    expect(first).toMatchObject({ total: searchWindow, rankedSince: '2026-01-01' });
    // The title matches among the newest 500 first (four a day; on 2026-01-01 only those kept
    // last are among them), by upvotes (the id's last digits modulo 7), then the newer day.
    expect(first.hits.slice(0, 11).map((hit) => hit.paper.id)).toEqual([
      ...['2601.03150', '2601.02150', '2601.01150', '2601.03100', '2601.02100', '2601.01100'],
      ...['2601.03050', '2601.02050', '2601.03000', '2601.02000'],
      '2601.03006', // the first without zebrafish in its title: upvotes 6, the newest day, the first id
    ]);
    const pages: Paper[] = [];
    for (let offset = 0; offset < 520; offset += 100)
      pages.push(...(await stores.papers.searchPapers(word('zebrafish'), { limit: 100, offset })).hits.map((hit) => hit.paper));
    expect(pages).toHaveLength(searchWindow);
    expect(
      pages
        .filter((paper) => paper.day === '2026-01-01')
        .map((paper) => paper.id)
        .sort()[0],
    ).toBe('2601.01100');
    // A range of days within reach is searched whole.
    expect(await stores.papers.searchPapers(word('zebrafish'), { to: '2026-01-01', limit: 1, offset: 0 })).toMatchObject({ total: 200 });
    expect((await stores.papers.searchPapers(word('zebrafish'), { to: '2026-01-01', limit: 1, offset: 0 })).rankedSince).toBeUndefined();
  });

  it('takes the sample papers out with the demo, and keeps the rest', async () => {
    await stores.papers.keepDay('2026-03-02', 'sample', fixturePapers('2026-08-21'));
    await stores.papers.keepDay(day, source, fixturePapers(day));
    expect(await stores.clearDemo()).toEqual({ editions: 0, readers: 0, papers: 17 });
    expect(await stores.papers.extent()).toEqual({ days: 1, papers: 50, first: day, last: day });
    // Their words went with them: a search finds only the day that is left.
    const found = await stores.papers.searchPapers(word('model'), { limit: 100, offset: 0 });
    expect(found.total).toBeGreaterThan(0);
    expect(found.hits.every((hit) => hit.paper.day === day)).toBe(true);
  });
});
