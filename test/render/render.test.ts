import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { Personalizer } from '../../src/delivery/personal.js';
import { normalizeFeed, selectPapers } from '../../src/papers/index.js';
import { type DayPapers, loadDayPapers, renderSampleDigest } from '../../src/pipeline/index.js';
import { type CompiledTemplates, compileTemplates, editionView, gmailClipBytes, loadTemplates, renderDigest } from '../../src/render/index.js';
import { fixture, projectRoot, tempDir } from '../helpers/files.js';
import { fixturePapers, rawItem } from '../helpers/papers.js';

const links = {
  unsubscribe: 'https://news.example.org/unsubscribe?token=u-123',
  preferences: 'https://news.example.org/preferences?token=p-123',
  webVersion: 'https://news.example.org/archive/2026-05-12',
};

let templates: CompiledTemplates;
beforeAll(async () => {
  templates = await loadTemplates();
});

function render(
  papers = fixturePapers('2026-05-12').slice(0, 10),
  recipient: { email: string; name?: string } = { email: 'reader@example.org', name: 'Grace' },
) {
  const view = editionView({ day: papers[0]?.day ?? '2026-05-12', papers, newsletter: { name: 'Test Digest' } });
  return renderDigest(templates, view, { ...recipient, links });
}

describe('escaping and LaTeX', () => {
  const feed = normalizeFeed(
    [
      rawItem({ id: '2406.12045', title: '$τ$-bench: tool-agent-user interaction', upvotes: 30, summary: 'Models emit <think> tags & "quotes".' }),
      rawItem({ id: '2410.09342', title: 'LLM$\\times$MapReduce: long-sequence processing', upvotes: 20 }),
      rawItem({ id: '2407.17453', title: '$VILA^2$: VILA Augmented VILA', upvotes: 10, ai_summary: '<script>alert(1)</script> summary' }),
    ],
    '2026-05-12',
    'test',
  );
  let digest: ReturnType<typeof render>;
  beforeAll(() => {
    digest = render(feed.papers);
  });

  it('shows feed text as text, never as markup', () => {
    expect(digest.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(digest.html).not.toContain('<script>alert');
    expect(digest.html).toContain('Models emit &lt;think&gt; tags &amp; &quot;quotes&quot;.');
    expect(digest.text).toContain('Models emit <think> tags & "quotes".');
  });

  it('turns LaTeX in titles into readable text everywhere', () => {
    for (const title of ['τ-bench: tool-agent-user interaction', 'LLM×MapReduce: long-sequence processing', 'VILA²: VILA Augmented VILA']) {
      expect(digest.html).toContain(title);
      expect(digest.text).toContain(title);
    }
    expect(digest.subject).toContain('τ-bench');
    expect(`${digest.subject}${digest.text}`).not.toMatch(/[$\\]/);
  });
});

describe('the 2026-08-18 digest, whose feed has "R^3-Bench" without its $…$', () => {
  const config = loadConfig({ env: {}, cwd: '/nonexistent', flags: { source: `file:${fixture('2026-08-18')}` } });
  let day: DayPapers;
  beforeAll(async () => {
    day = await loadDayPapers(config);
  });

  it('is in the edition (10th of the default top 10, after the tie-break on id)', () => {
    expect(day.day).toBe('2026-08-18');
    expect(day.selection.papers.map((p) => p.id)).toContain('2608.16033');
  });

  it('shows R³-Bench in the HTML and the text, with no caret left', async () => {
    const digest = await renderSampleDigest(config, day);
    for (const part of [digest.html, digest.text.replace(/\s+/g, ' ')]) {
      expect(part).toContain('R³-Bench: LLMs Struggle with Resource-Rational Reasoning under Shared Budgets');
      expect(part).toContain('R³-Bench reveals that');
      expect(part).not.toContain('R^3');
    }
  });

  it('shows R³-Bench in the Subject of a reader whose topic puts it first', () => {
    const view = editionView({ day: day.day, papers: day.selection.papers, newsletter: { name: 'Test Digest' } });
    const { papers } = new Personalizer(day.selection.papers, view.papers).personalize({ topics: ['budget'] });
    const digest = renderDigest(templates, view, { email: 'reader@example.org', links, ...(papers ? { papers } : {}) });
    expect(digest.subject).toBe('R³-Bench: LLMs Struggle with Resource-Rational Reasoning under Shared Budgets + 9 more · 18 Aug 2026');
  });
});

describe('the digest HTML', () => {
  const digest = () => render();

  it('stays under the Gmail clip size with 10 papers of a busy day', () => {
    expect(Buffer.byteLength(digest().html)).toBeLessThan(gmailClipBytes);
  });

  it('has no external CSS, no leftover placeholders and a color-scheme meta', () => {
    const { html } = digest();
    expect(html).not.toMatch(/<link[^>]+stylesheet/i);
    expect(html).not.toContain('{{');
    expect(html).toMatch(/<meta name="color-scheme" content="light dark"/);
    expect(html).toContain('prefers-color-scheme: dark');
    for (const img of html.match(/<img[^>]*>/g) ?? []) {
      expect(img).toMatch(/alt="/);
      expect(img).toMatch(/width="\d+"/);
    }
  });

  it('links every paper to its Hugging Face page and carries the footer links', () => {
    const papers = fixturePapers('2026-05-12').slice(0, 10);
    const { html, text } = render(papers);
    for (const paper of papers) {
      expect(html).toContain(`href="https://huggingface.co/papers/${paper.id}"`);
      expect(text).toContain(`https://huggingface.co/papers/${paper.id}`);
    }
    for (const link of Object.values(links)) {
      expect(html).toContain(`href="${link.replace(/=/g, '&#x3D;')}"`);
      expect(text).toContain(link);
    }
  });

  it('shows code with stars, project page, organization and the AI summary when present', () => {
    const papers = fixturePapers('2025-10-03');
    const paper = papers.find((p) => p.githubRepo && p.githubStars && p.projectPage && p.organization && p.aiSummary)!;
    const { html } = render([paper]);
    expect(html).toContain(`href="${paper.githubRepo}"`);
    expect(html).toContain('&#9733;'); // the star, as an entity: the HTML stays one-byte (Latin-1) in memory
    expect(html).toContain(`href="${paper.projectPage}"`);
    expect(html).toContain(paper.organization!.replace(/&/g, '&amp;'));
    expect(html).toContain(`https://arxiv.org/abs/${paper.id}`);
  });

  it('trims a long abstract when there is no AI summary, and shortens long author lists', () => {
    const paper = fixturePapers('2024-06-13').find((p) => p.summary.length > 600 && p.authors.length > 4)!;
    const { text } = render([paper]);
    expect(text).not.toContain(paper.summary);
    expect(text).toContain(`${paper.summary.slice(0, 60)}`);
    expect(text).toContain('…');
    expect(text).toContain(`${paper.authors.slice(0, 3).join(', ')} and ${paper.authors.length - 3} more authors`);
    expect(text).not.toContain('et al.');
  });

  it('personalizes without recompiling: two recipients differ only in their own parts', () => {
    const a = render(undefined, { email: 'a@example.org', name: 'Ann' });
    const b = render(undefined, { email: 'b@example.org' });
    expect(a.html).toContain('Hi Ann');
    expect(b.html).not.toContain('Hi ');
    expect(b.html).toContain('b@example.org');
    expect(a.subject).toBe(b.subject);
  });

  it('renders each card once per edition: every later reader gets the same card text', () => {
    const papers = fixturePapers('2026-05-12').slice(0, 3);
    const edition = editionView({ day: '2026-05-12', papers, newsletter: { name: 'T' } });
    const first = renderDigest(templates, edition, { email: 'a@example.org', links });
    const card = edition.papers[1]!;
    const title = card.title;
    card.title = 'Not what the first reader saw';
    const second = renderDigest(templates, edition, { email: 'b@example.org', links });
    expect(second.html.replace(/b@example\.org/g, 'a@example.org')).toBe(first.html);
    expect(second.text).toContain(title);
    // A new edition view (another edition, or the same one re-read) renders its cards afresh.
    const again = editionView({
      day: '2026-05-12',
      papers: papers.map((paper, index) => (index === 1 ? { ...paper, title: 'A new title' } : paper)),
      newsletter: { name: 'T' },
    });
    expect(renderDigest(templates, again, { email: 'a@example.org', links }).html).toContain('A new title');
  });

  it('takes a personal paper list without MJML', () => {
    const edition = editionView({ day: '2026-05-12', papers: fixturePapers('2026-05-12').slice(0, 10), newsletter: { name: 'T' } });
    const mine = edition.papers.slice(2, 4);
    const digest = renderDigest(templates, edition, { email: 'x@example.org', links, papers: mine });
    expect(digest.html.match(/<h2/g)).toHaveLength(2);
    expect(digest.text).toContain(mine[0]!.title);
    expect(digest.text).not.toContain(edition.papers[0]!.title);
  });

  it('keeps CR/LF out of the subject', () => {
    const papers = selectPapers(normalizeFeed([rawItem({ title: 'Line\r\nBcc: evil@example.com' })], '2026-05-12', 't').papers, '2026-05-12', {
      top: 10,
      minUpvotes: 0,
    }).papers;
    expect(render(papers).subject).not.toMatch(/[\r\n]/);
  });
});

describe('template folders and template errors', () => {
  const dir = tempDir();
  afterAll(dir.remove);

  it('uses a user folder, falling back to bundled files it does not have', async () => {
    const own = join(dir.path, 'own');
    mkdirSync(own);
    writeFileSync(join(own, 'subject.hbs'), 'My list: {{edition.day}}');
    const compiled = await compileTemplates(own);
    const view = editionView({ day: '2026-05-12', papers: fixturePapers('2026-05-12').slice(0, 2), newsletter: { name: 'T' } });
    const digest = renderDigest(compiled, view, { email: 'x@example.org', links });
    expect(digest.subject).toBe('My list: 2026-05-12');
    expect(compiled.files?.html).toBe(join(projectRoot, 'templates', 'digest.mjml'));
  });

  it('names the file and line of an MJML validation error', async () => {
    const bad = join(dir.path, 'bad-mjml');
    cpSync(join(projectRoot, 'templates'), bad, { recursive: true });
    writeFileSync(
      join(bad, 'digest.mjml'),
      '<mjml>\n<mj-body>\n<mj-section>\n<mj-column>\n<mj-text colr="red">x</mj-text>\n</mj-column>\n</mj-section>\n</mj-body>\n</mjml>\n',
    );
    await expect(compileTemplates(bad)).rejects.toThrow(/digest\.mjml line 5: <mj-text> .*colr/);
  });

  it('names the file and line of a Handlebars syntax error', async () => {
    const bad = join(dir.path, 'bad-hbs');
    mkdirSync(bad);
    writeFileSync(join(bad, 'digest.txt.hbs'), 'Hello\n{{#each papers}}\n{{title}}\n');
    await expect(compileTemplates(bad)).rejects.toThrow(/digest\.txt\.hbs line \d+: .*fix the template/);
  });
});
