import { beforeAll, describe, expect, it } from 'vitest';
import { Personalizer } from '../../src/delivery/personal.js';
import { type CompiledTemplates, compileSources, editionView, loadTemplates, mailSources, renderDigest } from '../../src/render/index.js';
import { fixturePapers } from '../helpers/papers.js';

const links = {
  unsubscribe: 'https://news.example.org/unsubscribe?token=u-1',
  preferences: 'https://news.example.org/preferences?token=p-1',
  webVersion: 'https://news.example.org/archive/2026-08-21',
};
const day = '2026-08-21';
const papers = fixturePapers(day).slice(0, 10);
const view = editionView({ day, papers, newsletter: { name: 'Test Digest' } });

let mail: CompiledTemplates;
beforeAll(async () => {
  mail = compileSources(mailSources((await loadTemplates()).sources));
});

/** A reader's digest as a send renders it: the Personalizer's list and how much of it is on their topics. */
function digestFor(preferences: { topics: string[]; alerts?: string[] }) {
  const personal = new Personalizer(papers, view.papers).personalize(preferences);
  return {
    personal,
    digest: renderDigest(mail, view, {
      email: 'ada@example.com',
      links,
      ...(personal.papers ? { papers: personal.papers, onTopic: personal.onTopic ?? 0 } : {}),
      ...(personal.alerts ? { alerts: personal.alerts } : {}),
    }),
  };
}

/** The card ranks in the order the HTML shows them ("#4"), and in the text part ("4. "). */
const htmlRanks = (html: string) => [...html.matchAll(/>#(\d+) /g)].map((match) => Number(match[1]));
const textRanks = (text: string) => [...text.matchAll(/^ ?(\d+)\. /gm)].map((match) => Number(match[1]));
const ascending = (ranks: number[]) => ranks.every((rank, index) => index === 0 || rank > ranks[index - 1]!);

describe('a reader with topics', () => {
  it('gets the papers on their topics as a labelled section, then the rest, each in the day’s rank order', () => {
    const { personal, digest } = digestFor({ topics: ['agent'] });
    const onTopic = personal.onTopic!;
    expect(onTopic).toBeGreaterThan(1);
    expect(onTopic).toBeLessThan(10);
    for (const [part, ranks] of [
      [digest.html, htmlRanks(digest.html)],
      [digest.text.replace(/\r\n/g, '\n'), textRanks(digest.text.replace(/\r\n/g, '\n'))],
    ] as const) {
      const topics = part.indexOf('On your topics');
      const rest = part.indexOf("The rest of today's papers");
      expect(topics, 'topic heading').toBeGreaterThan(-1);
      expect(rest, 'rest heading').toBeGreaterThan(topics);
      // Says why the numbers jump: they are the day's ranks.
      expect(part.slice(topics, rest)).toMatch(/numbers are today's ranks/);
      expect(ranks.toSorted((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(ascending(ranks.slice(0, onTopic)), `topic ranks ${ranks}`).toBe(true);
      expect(ascending(ranks.slice(onTopic)), `other ranks ${ranks}`).toBe(true);
      expect(ascending(ranks)).toBe(false);
    }
  });

  it('shows no sections without topics, nor when no paper is on them', () => {
    for (const topics of [[], ['zzyzx quokka']]) {
      const { digest } = digestFor({ topics });
      expect(htmlRanks(digest.html)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      for (const part of [digest.html, digest.text]) expect(part).not.toMatch(/On your topics|The rest of/);
    }
  });

  it('keeps the alert matches above the topic section', () => {
    const { digest } = digestFor({ topics: ['agent'], alerts: ['video'] });
    for (const part of [digest.html, digest.text]) {
      expect(part.indexOf('Matching your alerts')).toBeGreaterThan(-1);
      expect(part.indexOf('Matching your alerts')).toBeLessThan(part.indexOf('On your topics'));
    }
  });
});
