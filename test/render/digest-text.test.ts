import { beforeAll, describe, expect, it } from 'vitest';
import { type CompiledTemplates, compileSources, editionView, loadTemplates, mailSources, renderDigest, wrapText } from '../../src/render/index.js';
import { fixturePapers } from '../helpers/papers.js';

const links = {
  unsubscribe: 'https://news.example.org/unsubscribe?token=1.0.abcdefghijklmnopqrstuvwx',
  preferences: 'https://news.example.org/preferences?token=1.0.abcdefghijklmnopqrstuvwx',
  webVersion: 'https://news.example.org/archive/2026-05-12',
};
const goodDays = ['2024-06-13', '2025-01-21', '2025-03-17', '2025-10-03', '2026-05-12', '2026-08-21'];

/** Lines a reader's terminal or quoting would break: longer than 78 and not just one URL. */
const overlong = (text: string) => text.split(/\r?\n/).filter((line) => line.length > 78 && !/^\s*https?:\/\/\S+$/.test(line));

let mail: CompiledTemplates;
beforeAll(async () => {
  mail = compileSources(mailSources((await loadTemplates()).sources));
});

describe('wrapText', () => {
  it('leaves a line that fits alone', () => {
    expect(wrapText('Short enough.', 3)).toBe('Short enough.');
  });

  it('breaks prose at word boundaries, continuation lines indented', () => {
    const wrapped = wrapText('word '.repeat(40).trim(), 3);
    const lines = wrapped.split('\n');
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.slice(1).every((line) => line.startsWith('   word'))).toBe(true);
    expect(lines.every((line, index) => (index === 0 ? 3 : 0) + line.length <= 76)).toBe(true);
    expect(wrapped.replace(/\s+/g, ' ')).toBe('word '.repeat(40).trim());
  });

  it('keeps a word longer than a line whole, on a line of its own', () => {
    const url = `https://example.org/${'x'.repeat(90)}`;
    expect(wrapText(`See ${url} for more`, 0).split('\n')).toEqual(['See', url, 'for more']);
  });

  it('breaks lines with the newline it is given', () => {
    expect(wrapText('word '.repeat(40).trim(), 0, '\r\n')).toMatch(/^[^\n]*\r\n/);
  });
});

describe('the plain-text part', () => {
  it.each(goodDays)('%s: no line over 78 characters but a lone URL, CRLF only, no "1 upvotes"', (day) => {
    const papers = fixturePapers(day);
    const view = editionView({
      day,
      papers,
      newsletter: { name: 'Paperboy Daily Papers', postalAddress: 'Paperboy Ltd, 1 Long Street, Springfield, 12345 Somewhere Far Away, A Country' },
    });
    const { text } = renderDigest(mail, view, {
      email: 'ada.lovelace@analytical-engines.example.org',
      name: 'Augusta Ada King, Countess of Lovelace, née Byron',
      links,
    });
    expect(overlong(text)).toEqual([]);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(text).not.toMatch(/\b1 (upvotes|comments)\b/);
    for (const paper of papers) expect(text.replace(/\s+/g, ' ')).toContain(paper.title);
  });

  it('puts every URL on a line of its own', () => {
    const day = '2025-10-03';
    const { text } = renderDigest(mail, editionView({ day, papers: fixturePapers(day).slice(0, 10), newsletter: { name: 'T' } }), {
      email: 'a@example.org',
      links,
    });
    const lines = text.split('\r\n');
    const withUrl = lines.filter((line) => /https?:\/\//.test(line));
    expect(withUrl.length).toBeGreaterThan(30);
    for (const line of withUrl) expect(line).toMatch(/^\s*https?:\/\/\S+$/);
  });
});

describe('the plain-text part, line by line', () => {
  const day = '2026-05-12';
  const name = 'Augusta Ada King, Countess of Lovelace, née Byron, Patron of the Analytical Engine';
  const lines = (papers = fixturePapers(day).slice(0, 12), recipient: { email: string; name?: string } = { email: 'a@example.org', name }) =>
    renderDigest(mail, editionView({ day: papers[0]!.day, papers, newsletter: { name: 'T' } }), { ...recipient, links }).text.split('\r\n');

  it('wraps a long greeting with every line at the left margin', () => {
    const text = lines();
    const start = text.findIndex((line) => line.startsWith('Hi '));
    const greeting = text.slice(start, text.indexOf('', start));
    expect(greeting.length).toBeGreaterThan(1);
    for (const line of greeting) expect(line).toMatch(/^\S/);
    expect(greeting.join(' ')).toBe(`Hi ${name},`);
  });

  it('right-aligns ranks, so ranks 10 and over start their lines, wrapped titles too, in the column of ranks 1 to 9', () => {
    const text = lines(fixturePapers('2026-05-12'));
    const titles = text.flatMap((line, index) => (/^[ \d]\d\. \S/.test(line) ? [index] : []));
    expect(titles).toHaveLength(50);
    let wrappedTitles = 0;
    for (const first of titles) {
      const card = text.slice(first + 1, text.indexOf('', first));
      expect(card.length, text[first]).toBeGreaterThan(1);
      for (const line of card) expect(line, text[first]).toMatch(/^ {4}\S/);
      if (!/upvote/.test(card[0]!)) wrappedTitles++;
    }
    expect(text[titles[0]!]).toMatch(/^ 1\. /);
    expect(text[titles[9]!]).toMatch(/^10\. /);
    expect(wrappedTitles).toBeGreaterThan(3);
  });

  it('separates the signature with "-- " (dash, dash, space), alone on its line', () => {
    const text = lines();
    expect(text.filter((line) => line === '-- ')).toHaveLength(1);
    expect(text.filter((line) => line === '--')).toHaveLength(0);
  });

  it('says "paper", not "papers", on a one-paper day (2025-01-21), in both parts', () => {
    const papers = fixturePapers('2025-01-21');
    expect(papers).toHaveLength(1);
    const digest = renderDigest(mail, editionView({ day: '2025-01-21', papers, newsletter: { name: 'T' } }), { email: 'a@example.org', name: 'Ada', links });
    for (const part of [digest.text, digest.html]) {
      expect(part).toMatch(/[Hh]ere is today's most upvoted paper on Hugging Face\./);
      expect(part).not.toMatch(/most upvoted papers/);
      expect(part).toContain('1 paper');
    }
  });
});
