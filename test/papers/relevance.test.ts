import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizeFeed } from '../../src/papers/index.js';
import { markWords, PaperIndex, queryStems } from '../../src/search/index.js';
import { fixture } from '../helpers/files.js';

const papers = normalizeFeed(JSON.parse(readFileSync(fixture('2026-08-21'), 'utf8')), '2026-08-21', 'fixture').papers;
const index = new PaperIndex(papers);
const agentWord = /\bagent/gi;
/** About agents: in the title or keywords, or twice in the summary (docs/queries.md). */
const aboutAgents = (paper: (typeof papers)[number]) =>
  /\bagent/i.test(paper.title) || paper.keywords.some((keyword) => /\bagent/i.test(keyword)) || (paper.summary.match(agentWord) ?? []).length >= 2;

describe('relevance (BM25 over title, summary, keywords)', () => {
  it('drops stop words and stems the rest', () => {
    expect(queryStems('The agents for searching')).toEqual(['agent', 'search']);
    expect(queryStems('of the and')).toEqual([]);
  });

  it('finds exactly the papers about the word, in any form, title and keyword matches first, best first', () => {
    const hits = index.score('agent');
    const expected = papers.filter(aboutAgents);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.map((hit) => hit.paper.id).sort()).toEqual(expected.map((paper) => paper.id).sort());
    // One mention in passing is not enough: the day has papers that name agents once and are left out.
    expect(papers.filter((paper) => /\bagent/i.test(paper.summary) && !aboutAgents(paper)).length).toBeGreaterThan(0);
    const titled = (hit: (typeof hits)[number]) => /\bagent/i.test(hit.paper.title) || hit.paper.keywords.some((keyword) => /\bagent/i.test(keyword));
    const firstUntitled = hits.findIndex((hit) => !titled(hit));
    if (firstUntitled !== -1) expect(hits.slice(firstUntitled).every((hit) => !titled(hit))).toBe(true);
    for (let i = 1; i < hits.length; i++) if (titled(hits[i - 1]!) === titled(hits[i]!)) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
  });

  it('finds nothing for words no paper has', () => {
    expect(index.score('zzyzx quokka')).toEqual([]);
  });

  it('marks the matched words, whatever their form, and keeps the rest of the text as it was', () => {
    const parts = markWords('Agents that search: an agentic Search agent', new Set(queryStems('agent search')));
    expect(parts.map((part) => part.text).join('')).toBe('Agents that search: an agentic Search agent');
    expect(parts.filter((part) => part.hit).map((part) => part.text)).toEqual(['Agents', 'search', 'agentic', 'Search', 'agent']); // Porter takes agentic to agent
  });

  it('needs every word of a search in a paper, so a long search does not fire on one common word', () => {
    const learning = index.score('learning');
    const narrow = index.score('learning zzyzx');
    expect(learning.length).toBeGreaterThan(0);
    expect(narrow).toEqual([]);
    const both = index.score('agent learning');
    for (const hit of both) {
      const text = [hit.paper.title, hit.paper.summary, ...hit.paper.keywords].join(' ');
      expect(text).toMatch(/\bagent/i);
      expect(text).toMatch(/\blearn/i);
    }
    expect(both.every((hit) => hit.matched.length === 2)).toBe(true);
  });

  it('adds up the scores of several searches, so a paper answering two ranks above one answering one', () => {
    const [agent, learning] = [index.score('agent'), index.score('learning')];
    const combined = index.scoreAll(['agent', 'learning']);
    expect(new Set(combined.map((hit) => hit.paper.id))).toEqual(new Set([...agent, ...learning].map((hit) => hit.paper.id)));
    const inBoth = combined.find((hit) => hit.matched.length === 2);
    if (inBoth) {
      const alone = agent.find((hit) => hit.paper === inBoth.paper)!.score + learning.find((hit) => hit.paper === inBoth.paper)!.score;
      expect(inBoth.score).toBeCloseTo(alone);
    }
    for (let i = 1; i < combined.length; i++) expect(combined[i - 1]!.score).toBeGreaterThanOrEqual(combined[i]!.score);
  });
});
