import { describe, expect, it } from 'vitest';
import { comparePapers, type Paper } from '../../src/papers/index.js';
import { editionView, loadTemplates, renderDigest, templateFiles, trimText, weeklyTemplateFiles } from '../../src/render/index.js';
import { fixturePapers } from '../helpers/papers.js';

const links = { unsubscribe: 'https://n.example/u', preferences: 'https://n.example/p', webVersion: 'https://n.example/w' };
const subjectOf = async (day: string, papers: readonly Paper[]) => {
  const templates = await loadTemplates(undefined, day.includes('W') ? weeklyTemplateFiles : templateFiles);
  return renderDigest(templates, editionView({ day, papers, newsletter: { name: 'T' } }), { email: 'ada@example.org', links }).subject;
};

/** The week 2026-W34 as the weekly roundup ranks it: every paper of its five recorded days, best first. */
const week = ['2026-08-17', '2026-08-18', '2026-08-19', '2026-08-20', '2026-08-21'].flatMap(fixturePapers).sort(comparePapers).slice(0, 10);

describe('the subject line', () => {
  it("of the weekly roundup leads with the week's top paper and names the days and the year", async () => {
    const subject = await subjectOf('2026-W34', week);
    expect(subject).toBe(`${trimText(week[0]!.title, 60)} + 9 more · week of 17–21 Aug 2026`);
    expect(subject.startsWith(week[0]!.title.slice(0, 40))).toBe(true);
    expect(subject.length).toBeLessThanOrEqual(100);
  });

  it('of a week across the new year names both years, and stays short with a long top title', async () => {
    const long = { ...week[0]!, title: `${'A very long paper title about many things '.repeat(4).trim()}`, day: '2025-12-29' };
    const subject = await subjectOf('2026-W01', [long, { ...week[1]!, day: '2026-01-02' }]);
    expect(subject).toMatch(/^A very long paper title .{20,}… \+ 1 more · week of 29 Dec 2025 – 2 Jan 2026$/);
    // No longer than a daily subject can be: an 80-character title, "+ 99 more" and the day.
    expect(subject.length).toBeLessThanOrEqual(`${'x'.repeat(81)} + 99 more · 21 Aug 2026`.length);
  });

  it('of a daily edition is as before: the top paper, how many more, the day', async () => {
    const day = fixturePapers('2026-08-21').sort(comparePapers).slice(0, 10);
    expect(await subjectOf('2026-08-21', day)).toBe(`${trimText(day[0]!.title, 80)} + 9 more · 21 Aug 2026`);
  });
});
