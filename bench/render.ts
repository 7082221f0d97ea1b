/**
 * npm run bench:render — personalized digests per second (HTML + text for distinct recipients),
 * paperboy's way (MJML once, Handlebars per recipient) next to the naive way (MJML per recipient).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import mjml2html from 'mjml';
import { Personalizer } from '../src/delivery/personal.js';
import { recipientLinks } from '../src/mail/index.js';
import { createSource, selectPapers } from '../src/papers/index.js';
import { bundledTemplatesDir } from '../src/paths.js';
import { handlebars } from '../src/render/handlebars.js';
import { editionView, loadTemplates, renderDigest } from '../src/render/index.js';
import { alternating, printFigures, verdict } from './report.js';

const day = '2026-11-26';
const feed = await (await createSource('sample', {} as never)).fetchDay(day);
const papers = selectPapers(feed.papers, day, { top: 10, minUpvotes: 0 }).papers;
const edition = editionView({ day, papers, newsletter: { name: 'Paperboy Daily Papers' } });
const recipient = (i: number) => ({
  email: `reader${i}@example.org`,
  name: `Reader ${i}`,
  links: recipientLinks('https://news.example.org', day, { unsubscribe: `u${i}`, preferences: `p${i}` }),
});

const compileStarted = performance.now();
const templates = await loadTemplates();
const compileMs = performance.now() - compileStarted;

// Warm up, then measure paperboy's path, with and without alerts.
for (let i = 0; i < 2000; i++) renderDigest(templates, edition, recipient(i));
let bytes = 0;

// Saved-search alerts: every recipient keeps 3, drawn from 200 distinct sets (words of the day's
// keywords, and words no paper has); each set is scored once, the first time a reader has it.
const words = [...new Set(papers.flatMap((paper) => paper.keywords.flatMap((keyword) => keyword.toLowerCase().split(/\s+/))))].filter(
  (word) => word.length > 3,
);
const pool = [...words, 'quokka', 'zzyzx', 'reinforcement learning search agents', 'protein folding'];
const alertSets = Array.from({ length: 200 }, (_, set) => [pool[set % pool.length]!, pool[(set * 7 + 3) % pool.length]!, pool[(set * 13 + 5) % pool.length]!]);
const personalizer = new Personalizer(papers, edition.papers);
let withAlertSection = 0;
// Alternating rounds, 5 × 0.5 s each: the two rates then see the same machine.
const [fast, alerted] = alternating(
  (i) => {
    const digest = renderDigest(templates, edition, recipient(i));
    bytes += digest.html.length + digest.text.length;
  },
  (i) => {
    const personal = personalizer.personalize({ topics: [], alerts: alertSets[i % alertSets.length]! });
    const digest = renderDigest(templates, edition, {
      ...recipient(i),
      ...(personal.papers ? { papers: personal.papers } : {}),
      ...(personal.alerts ? { alerts: personal.alerts } : {}),
    });
    if (personal.alerts) withAlertSection++;
    bytes += digest.html.length + digest.text.length;
  },
);

// The naive way: Handlebars over the MJML source, then MJML, for every recipient.
const includePattern = /<mj-include path="\.\/([^"]+)"\s*\/>/g;
const digestSource = await readFile(join(bundledTemplatesDir, 'digest.mjml'), 'utf8');
const parts = await Promise.all(
  [...digestSource.matchAll(includePattern)].map(async (m) => [m[0], await readFile(join(bundledTemplatesDir, m[1]!), 'utf8')] as const),
);
const inlined = parts.reduce((source, [tag, content]) => source.replace(tag, content), digestSource);
const naiveTemplate = handlebars.compile(inlined);
const naiveCount = 60;
const naiveStarted = performance.now();
for (let i = 0; i < naiveCount; i++) {
  const r = recipient(i);
  const context = { ...edition, recipient: r, links: r.links, preheader: '' };
  const { html } = await mjml2html(naiveTemplate(context), { validationLevel: 'skip' });
  templates.text(context);
  bytes += html.length;
}
const naiveOps = (naiveCount * 1000) / (performance.now() - naiveStarted);

const ratio = fast.ops / naiveOps;
printFigures(`bench:render — ${papers.length} papers, distinct recipients (one-time MJML compile: ${compileMs.toFixed(0)} ms)`, [
  { name: 'paperboy (MJML once, Handlebars per recipient)', value: fast.ops, unit: `messages/s (${fast.count.toLocaleString('en-US')} rendered)` },
  { name: 'naive (MJML per recipient), baseline', value: naiveOps, unit: `messages/s (${naiveCount} rendered)` },
  { name: 'ratio', value: ratio, unit: '×' },
  {
    name: 'paperboy, 3 alerts per recipient (200 distinct sets)',
    value: alerted.ops,
    unit: `messages/s (${Math.round((100 * withAlertSection) / alerted.count)}% with an alert section)`,
  },
  { name: 'ratio with alerts to without', value: alerted.ops / fast.ops, unit: '×' },
]);
verdict('rate with alerts', alerted.ops >= 10_000, `${Math.round(alerted.ops).toLocaleString('en-US')} messages/s with 3 alerts each (target ≥ 10,000)`);
verdict('rate', fast.ops >= 10_000, `${Math.round(fast.ops).toLocaleString('en-US')} messages/s (target ≥ 10,000)`);
verdict('speed-up', ratio >= 100, `${ratio.toFixed(0)}× the naive way (target ≥ 100×)`);
if (bytes === 0) throw new Error('nothing rendered');
