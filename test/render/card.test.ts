import { describe, expect, it } from 'vitest';
import { authorNames, authorsLine, editionView, isOwnPage, keywordTags } from '../../src/render/index.js';
import { fixturePapers } from '../helpers/papers.js';

const cards = (day: string) => editionView({ day, papers: fixturePapers(day), newsletter: { name: 'T' } }).papers;

describe('authors on a card', () => {
  it('names up to four authors, else three and how many more', () => {
    expect(authorNames([])).toEqual({ names: 'Unknown authors', more: 0 });
    expect(authorNames(['A', 'B', 'C', 'D'])).toEqual({ names: 'A, B, C, D', more: 0 });
    expect(authorNames(['A', 'B', 'C', 'D', 'E'])).toEqual({ names: 'A, B, C', more: 2 });
    expect(authorsLine(['A'])).toBe('A');
    expect(authorsLine(['A', 'B', 'C', 'D', 'E'])).toBe('A, B, C and 2 more authors');
  });

  it('counts the 17 authors of the 2026-08-21 top paper instead of hiding them behind "et al."', () => {
    const [top] = cards('2026-08-21');
    expect(top).toMatchObject({ authorNames: 'Chengsong Huang, Zifeng Wang, Rujun Han', moreAuthors: 14 });
    expect(top!.authors).toBe('Chengsong Huang, Zifeng Wang, Rujun Han and 14 more authors');
  });
});

describe('keyword tags', () => {
  it("takes the feed's first five keywords, skipping repeats in any case and phrases over 40 characters", () => {
    const long = 'a keyword phrase far longer than forty characters';
    expect(keywordTags(['LLM agents', 'llm Agents', long, 'B', 'C', 'D', 'E', 'F'])).toEqual(['LLM agents', 'B', 'C', 'D', 'E']);
    expect(keywordTags([])).toEqual([]);
  });

  it('comes from ai_keywords on the recorded days, absent on the oldest schema', () => {
    const [top] = cards('2026-08-21');
    expect(top!.tags).toEqual(['LLM agents', 'Environment Harness', 'EnvHarness', 'EnvRigger', 'black-box policy']);
    expect(top!.tagLine).toBe('LLM agents, Environment Harness, EnvHarness, EnvRigger, black-box policy');
    for (const card of cards('2024-06-13')) expect(card.tags).toEqual([]);
  });
});

describe('the AI summary mark', () => {
  it('is set exactly where the blurb is the feed’s ai_summary, not the cut abstract', () => {
    const papers = fixturePapers('2025-10-03');
    const views = cards('2025-10-03');
    expect(views.some((card) => card.aiSummary)).toBe(true);
    expect(cards('2024-06-13').some((card) => card.aiSummary)).toBe(false);
    views.forEach((card, index) => {
      const paper = papers[index]!;
      expect(card.aiSummary).toBe(paper.aiSummary !== undefined);
      expect(card.blurb.startsWith((paper.aiSummary ?? paper.summary).slice(0, 40))).toBe(true);
    });
  });
});

describe('comment counts', () => {
  it('are shown from two comments on: one is usually the automated "similar papers" post', () => {
    const views = cards('2026-08-21');
    expect(views.filter((card) => card.comments <= 1).length).toBeGreaterThan(0);
    for (const card of views) expect(card.commentsShown).toBe(card.comments >= 2);
  });
});

describe('the project link', () => {
  it("is left out when it is the paper's own Hugging Face page (2608.19861 in the 2026-08-21 feed)", () => {
    const paper = fixturePapers('2026-08-21').find((p) => p.id === '2608.19861')!;
    expect(paper.projectPage).toBe('https://huggingface.co/papers/2608.19861');
    expect(cards('2026-08-21').find((card) => card.id === '2608.19861')!.projectPage).toBeUndefined();
    expect(cards('2026-08-21')[0]!.projectPage).toBe('https://envharness.com/');
  });

  it('recognizes the paper page and its arXiv page however the link is spelled', () => {
    for (const same of [
      'http://www.huggingface.co/papers/2608.19861/',
      'https://hf.co/papers/2608.19861v2?utm_source=x#comments',
      'https://HuggingFace.co/papers/2608.19861',
      'https://arxiv.org/abs/2608.19861v1',
      'https://arxiv.org/pdf/2608.19861.pdf',
    ]) {
      expect(isOwnPage(same, '2608.19861'), same).toBe(true);
    }
    for (const other of [
      'https://huggingface.co/papers/2608.19862',
      'https://huggingface.co/datasets/someone/2608.19861',
      'https://huggingface.co/papers',
      'https://envharness.com/',
      'not a link',
    ]) {
      expect(isOwnPage(other, '2608.19861'), other).toBe(false);
    }
  });
});
