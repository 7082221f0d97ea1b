/**
 * Generated Daily Papers for bench:search, each a variant of a recorded fixture paper (its
 * sentences shuffled, one word in twenty swapped for others of the fixtures' vocabulary, some
 * of its keywords swapped for others'), so the words, their frequencies and the phrases readers
 * search for ("mixture of experts", "video generation") occur about as they do in real papers.
 * Seeded: every run writes the same papers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeFeed, type Paper } from '../src/papers/index.js';

/** A small, fast, seedable generator (mulberry32): the same corpus on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A variant of `text`: its sentences shuffled and `share` of its words replaced by words drawn
 * from `vocabulary` (every word of the fixtures, repeats kept, so frequent words come often). The
 * base paper's topic stays: a generated paper is about one thing, as a real one is, so words that
 * belong together (video, generation) come together about as often as in real papers.
 */
function variant(text: string, vocabulary: readonly string[], share: number, random: () => number): string {
  const sentences = text.split(/(?<=[.!?])\s+/);
  for (let index = sentences.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [sentences[index], sentences[other]] = [sentences[other]!, sentences[index]!];
  }
  return sentences
    .join(' ')
    .split(/\s+/)
    .map((word) => (random() < share ? vocabulary[Math.floor(random() * vocabulary.length)]! : word))
    .join(' ');
}

/** The readable fixture days' papers (the two broken days are skipped). */
export function fixturePapers(fixturesDir: string): Paper[] {
  return readdirSync(fixturesDir)
    .filter((name) => /^\d{4}-\d{2}-\d{2}\.json$/.test(name))
    .flatMap((name) => {
      try {
        return normalizeFeed(JSON.parse(readFileSync(join(fixturesDir, name), 'utf8')), name.slice(0, 10), name).papers;
      } catch {
        return [];
      }
    });
}

/** `count` papers, `perDay` a day (the Daily Papers' ~17), on consecutive days up to 2026-08-21. */
export function generatePapers(source: Paper[], count: number, perDay = 17): { day: string; papers: Paper[] }[] {
  const random = seeded(23);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const vocabulary = source.flatMap((paper) => `${paper.title} ${paper.summary}`.split(/\s+/));
  const keywords = source.flatMap((paper) => paper.keywords);
  const authors = source.flatMap((paper) => paper.authors);
  const days = Math.ceil(count / perDay);
  const last = Date.parse('2026-08-21T00:00:00Z');
  const out: { day: string; papers: Paper[] }[] = [];
  for (let dayIndex = 0; dayIndex < days; dayIndex++) {
    const day = new Date(last - (days - 1 - dayIndex) * 86_400_000).toISOString().slice(0, 10);
    const papers: Paper[] = [];
    for (let index = 0; index < perDay && out.length * perDay + index < count; index++) {
      const base = pick(source);
      papers.push({
        id: `${day.slice(2, 4)}${day.slice(5, 7)}.${String(dayIndex % 100).padStart(2, '0')}${String(index).padStart(3, '0')}`,
        day,
        title: variant(base.title, vocabulary, 0.1, random),
        summary: variant(base.summary, vocabulary, 0.05, random),
        authors: Array.from({ length: 1 + Math.floor(random() * 8) }, () => pick(authors)),
        keywords: [...base.keywords.filter(() => random() < 0.7), ...Array.from({ length: Math.floor(random() * 3) }, () => pick(keywords))],
        upvotes: base.upvotes,
        comments: base.comments,
      });
    }
    out.push({ day, papers });
  }
  return out;
}
