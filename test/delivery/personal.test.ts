import { describe, expect, it } from 'vitest';
import { alertPapersShown, Personalizer } from '../../src/delivery/personal.js';
import { editionView } from '../../src/render/index.js';
import { PaperIndex } from '../../src/search/index.js';
import { fixturePapers } from '../helpers/papers.js';

const edition = fixturePapers('2025-10-03').slice(0, 10);
const papers = editionView({ day: '2025-10-03', papers: edition, newsletter: { name: 'T' } }).papers;
const personalizer = () => new Personalizer(edition, papers);
const mentions = (index: number, word: RegExp) => [edition[index]!.title, edition[index]!.summary, ...edition[index]!.keywords].some((text) => word.test(text));

describe("a subscriber's own digest", () => {
  it('is the edition as it is without topics, alerts or a smaller count', () => {
    expect(personalizer().personalize({ topics: [] })).toEqual({});
    expect(personalizer().personalize({ topics: [], maxPapers: 10 })).toEqual({});
  });

  it('puts papers on their topics first, keeps edition order within each part, and cuts to their count', () => {
    const topic = edition[6]!.keywords[0]!.toLowerCase();
    const personal = personalizer().personalize({ topics: [topic], maxPapers: 4 });
    const mine = personal.papers!;
    expect(mine).toHaveLength(4);
    expect(mine).toContain(papers[6]);
    const onTopic = mine.filter((paper) => mentions(paper.rank - 1, new RegExp(topic.split(/\W+/)[0]!, 'i')));
    expect(mine.slice(0, onTopic.length)).toEqual(onTopic);
    expect(personal.onTopic).toBe(onTopic.length);
    const ranks = onTopic.map((paper) => paper.rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('works a preference set out once and reuses it', () => {
    const shared = personalizer();
    const first = shared.personalize({ topics: ['video'], maxPapers: 3 });
    expect(shared.personalize({ topics: ['video'], maxPapers: 3 })).toBe(first);
  });

  it('opens with the papers matching their alerts, best first, and does not repeat them below', () => {
    const mine = personalizer().personalize({ topics: [], alerts: ['agent'] });
    const expected = edition.map((_, index) => index).filter((index) => mentions(index, /\bagent/i));
    expect(expected.length).toBeGreaterThan(0);
    expect(mine.alerts!.papers.map((paper) => paper.rank).sort((a, b) => a - b)).toEqual(expected.slice(0, alertPapersShown).map((index) => index + 1));
    for (const paper of mine.alerts!.papers) {
      expect(mine.papers).not.toContain(papers[paper.rank - 1]);
      expect(paper.matchedWords).toMatch(/agent/);
    }
    expect(mine.papers).toHaveLength(papers.length - mine.alerts!.papers.length);
    const titled = mine.alerts!.papers.findIndex((paper) => /agent/i.test(paper.title));
    if (titled !== -1) expect(mine.alerts!.papers[titled]!.titleRuns.some((run) => run.hit && /agent/i.test(run.text))).toBe(true);
  });

  it('gives an alerts reader only the matches, and nothing on a day without any', () => {
    const shared = personalizer();
    const matched = shared.personalize({ topics: [], frequency: 'alerts', alerts: ['agent'] });
    expect(matched.papers).toEqual([]);
    expect(matched.alerts!.only).toBe(true);
    expect(shared.personalize({ topics: [], frequency: 'alerts', alerts: ['zzyzx quokka'] })).toEqual({ papers: [], nothingToSend: true });
    expect(shared.matches(['zzyzx quokka'])).toBe(false);
    expect(shared.matches(['zzyzx', 'agents'])).toBe(true);
  });

  it('counts matches past the ten shown, with the search page that lists them all', () => {
    const many = fixturePapers('2025-10-03');
    const views = editionView({ day: '2025-10-03', papers: many, newsletter: { name: 'T' } }).papers;
    const shared = new Personalizer(many, views, (queries) => `https://news.example.org/search?q=${queries.join('&q=')}&day=2025-10-03`);
    const matching = new PaperIndex(many).score('model').length;
    expect(matching).toBeGreaterThan(alertPapersShown);
    const daily = shared.personalize({ topics: [], alerts: ['model'] });
    expect(daily.alerts!.papers).toHaveLength(alertPapersShown);
    expect(daily.alerts!.more).toBe(matching - alertPapersShown);
    expect(daily.alerts!.moreUrl).toBe('https://news.example.org/search?q=model&day=2025-10-03');
    expect(daily.papers).toHaveLength(many.length - alertPapersShown);
    const only = shared.personalize({ topics: [], frequency: 'alerts', alerts: ['model'] });
    expect(only.alerts!.more).toBe(matching - alertPapersShown);
  });
});
