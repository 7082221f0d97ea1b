import { readFileSync } from 'node:fs';
import { normalizeFeed, type Paper } from '../../src/papers/index.js';
import { fixture } from './files.js';

/** The papers of a recorded fixture day. */
export function fixturePapers(day: string): Paper[] {
  return normalizeFeed(JSON.parse(readFileSync(fixture(day), 'utf8')), day, day).papers;
}

/** A raw Daily Papers item, as the API sends it, with only what the test cares about. */
export function rawItem(paper: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    paper: { id: '2401.00001', title: 'A title', summary: 'An abstract.', authors: [{ name: 'A. Author' }], upvotes: 1, ...paper },
    numComments: 0,
    ...extra,
  };
}

/** The parsed JSON of a recorded Daily Papers day (a fresh copy each call). */
export function loadFixture(day: string): unknown {
  return JSON.parse(readFileSync(fixture(day), 'utf8'));
}

/** A recorded day whose items are known to be a list of objects. */
// biome-ignore lint/suspicious/noExplicitAny: tests reach into recorded feed items freely to break them on purpose
export function loadItems(day: string): Record<string, any>[] {
  // biome-ignore lint/suspicious/noExplicitAny: as above
  return loadFixture(day) as Record<string, any>[];
}
