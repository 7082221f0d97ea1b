import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparePapers, normalizeFeed, type Paper, selectPapers } from '../../src/papers/index.js';
import { fixture, fixturesDir, runCli, tempDir } from '../helpers/cli.js';
import { sendCli } from '../helpers/send.js';
import { type Sink, startSink } from '../helpers/smtp-sink.js';

const week = ['2026-08-17', '2026-08-18', '2026-08-19', '2026-08-20', '2026-08-21'];
const dayPapers = (day: string): Paper[] => normalizeFeed(JSON.parse(readFileSync(fixture(day), 'utf8')), day, 'fixture').papers;
/** About agents, as an alert sees it: in the title or keywords, or twice in the summary (docs/queries.md). */
const mentionsAgent = (paper: Paper) =>
  [paper.title, ...paper.keywords].some((text) => /\bagent/i.test(text)) || (paper.summary.match(/\bagent/gi) ?? []).length >= 2;

// Readers of every rhythm, through the CSV columns an operator would use.
const readers = [
  'email,name,frequency,alerts',
  'daily@example.org,Dee,daily,',
  'weekly@example.org,Wes,weekly,',
  'curious@example.org,Cu,daily,agent',
  'only@example.org,Al,alerts,agent',
  'nothing@example.org,No,alerts,zzyzx quokka',
].join('\n');

const dir = tempDir('paperboy-weekly-alerts-');
let sink: Sink;

beforeAll(async () => {
  sink = await startSink();
  writeFileSync(join(dir.path, 'people.csv'), readers);
  const config = {
    dataDir: 'data',
    source: `file:${fixturesDir}`,
    transport: sink.url,
    newsletter: { baseUrl: 'https://news.example.org', from: 'Paperboy <news@example.org>' },
  };
  writeFileSync(join(dir.path, 'paperboy.config.json'), JSON.stringify(config));
  const imported = await runCli(['subscribers', 'import', 'people.csv', '--json'], { cwd: dir.path });
  expect(JSON.parse(imported.stdout)).toMatchObject({ added: 5, invalid: 0 });
});

afterAll(async () => {
  await sink.close();
  dir.remove();
});

async function mailsFrom(start: number): Promise<Map<string, ParsedMail[]>> {
  const byReader = new Map<string, ParsedMail[]>();
  for (const mail of sink.received.slice(start)) byReader.set(mail.to[0]!, [...(byReader.get(mail.to[0]!) ?? []), await simpleParser(mail.raw)]);
  return byReader;
}

/** The titles of the papers in the text part, in order (the "1. Title" and "* Title" lines: their first line when wrapped). */
const textTitles = (text: string) => [...text.matchAll(/^(?: ?\d+\.|\*) (.+)$/gm)].map((match) => match[1]!.replace(/\*/g, ''));
/** The listed (possibly wrapped) titles are exactly these papers', in any order. */
const sameTitles = (listed: string[], titles: string[]) => {
  expect(listed).toHaveLength(titles.length);
  for (const title of titles) expect(listed.filter((line) => title.startsWith(line))).toHaveLength(1);
};

describe('the weekly roundup and saved-search alerts, end to end through a real SMTP server', () => {
  it('send --weekly sends weekly readers the week led by its most upvoted paper, and nobody else; again, it sends nothing twice', async () => {
    const start = sink.received.length;
    const result = await sendCli(dir.path, ['--weekly']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ day: '2026-W34', sent: 1, complete: true });
    const mails = await mailsFrom(start);
    expect([...mails.keys()]).toEqual(['weekly@example.org']);
    const [mail] = mails.get('weekly@example.org')!;
    const best = week.flatMap(dayPapers).sort(comparePapers)[0]!;
    expect(mail!.subject).toMatch(/ \+ 9 more · week of 17–21 Aug 2026$/);
    expect(mail!.subject!.startsWith(best.title.slice(0, 40))).toBe(true);
    expect(best.title.startsWith(textTitles(mail!.text!)[0]!)).toBe(true);
    expect(mail!.text).toMatch(/^ {4}\d+ upvotes( · \d+ comments)? · (Mon|Tue|Wed|Thu|Fri) \d+ Aug$/m); // each paper says its day
    expect(new Set(textTitles(mail!.text!)).size).toBe(10);

    const again = await sendCli(dir.path, ['--weekly']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ sent: 0, complete: true });
    expect(sink.received.length).toBe(start + 1);
    const shown = await runCli(['editions', 'show', '2026-W34', '--json'], { cwd: dir.path });
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ day: '2026-W34', counts: { sent: 1 } });
  });

  it("send --date sends the day's digest to daily readers, alert matches to alert readers, nothing to weekly readers, and says whom it skipped", async () => {
    const start = sink.received.length;
    const result = await sendCli(dir.path);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ day: '2026-08-21', sent: 3, skippedNoMatch: 1, complete: true });
    const mails = await mailsFrom(start);
    expect([...mails.keys()].sort()).toEqual(['curious@example.org', 'daily@example.org', 'only@example.org']);

    // Alerts search every paper of the day, not only the edition's ten.
    const papers = selectPapers(dayPapers('2026-08-21'), '2026-08-21', { top: 10, minUpvotes: 0 }).papers;
    const matching = dayPapers('2026-08-21').filter(mentionsAgent);
    expect(matching.length).toBeGreaterThan(papers.filter(mentionsAgent).length);
    expect(papers.filter(mentionsAgent).length).toBeLessThan(papers.length);

    // A daily reader with an alert: the matches first, best first, then the rest without them.
    const curious = mails.get('curious@example.org')![0]!;
    expect(curious.html).toContain('Matching your alerts');
    const section = curious.text!.slice(curious.text!.indexOf('Matching your alerts'), curious.text!.search(/^ ?\d+\. /m));
    const alertTitles = textTitles(section);
    sameTitles(
      alertTitles,
      matching.map((paper) => paper.title),
    );
    const titled = alertTitles.findIndex((title) => /\bagent/i.test(title));
    const untitled = alertTitles.findIndex((title) => !/\bagent/i.test(title));
    if (titled !== -1 && untitled !== -1) expect(titled).toBeLessThan(untitled); // a title match outranks a summary-only one
    for (const title of alertTitles) expect(textTitles(curious.text!).filter((each) => each === title)).toHaveLength(1);
    expect(curious.html).toMatch(/<strong[^>]*>Agent/i);

    // An alerts-only reader: only the matches.
    const only = mails.get('only@example.org')![0]!;
    sameTitles(
      textTitles(only.text!),
      matching.map((paper) => paper.title),
    );
    expect(only.text).toContain('Here are the papers matching your alerts.');

    // The daily reader without alerts: the edition as it is.
    const daily = mails.get('daily@example.org')![0]!;
    expect(daily.html).not.toContain('Matching your alerts');
    expect(textTitles(daily.text!)).toHaveLength(10);
  });

  it('says in words how many alerts-only readers got nothing', async () => {
    const result = await runCli(['send', '--date', '2026-08-20', '--dry-run'], { cwd: dir.path, env: { PAPERBOY_SECRET: 'a-test-secret-of-enough-length' } });
    expect(result.code).toBe(0);
    const matchesThatDay = dayPapers('2026-08-20').some(mentionsAgent);
    expect(result.stdout).toContain(`would go to ${matchesThatDay ? 3 : 2} subscribers`);
    expect(result.stdout).toContain(`${matchesThatDay ? 1 : 2} alerts-only reader${matchesThatDay ? '' : 's'} would get nothing`);
  });

  it('refuses an alerts-only reader without alerts, and a sixth alert, in one line each', async () => {
    const none = await runCli(['subscribers', 'add', 'x@example.org', '--frequency', 'alerts'], { cwd: dir.path });
    expect(none.code).not.toBe(0);
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
    expect(none.stderr).toContain('--alert');
    const six = await runCli(['subscribers', 'add', 'x@example.org', ...['a1', 'b2', 'c3', 'd4', 'e5', 'f6'].flatMap((word) => ['--alert', word])], {
      cwd: dir.path,
    });
    expect(six.code).not.toBe(0);
    expect(six.stderr).toContain('at most 5');
    // A reader who already has alerts may switch to alerts-only without repeating them.
    const switched = await runCli(['subscribers', 'add', 'curious@example.org', '--frequency', 'alerts', '--json'], { cwd: dir.path });
    expect(switched.code).toBe(0);
    expect(JSON.parse(switched.stdout).subscriber.preferences).toMatchObject({ frequency: 'alerts', alerts: ['agent'] });
    await runCli(['subscribers', 'add', 'curious@example.org', '--frequency', 'daily'], { cwd: dir.path });
    const fine = await runCli(['subscribers', 'add', 'x@example.org', '--frequency', 'WEEKLY', '--alert', 'Search  Agents', '--json'], { cwd: dir.path });
    expect(fine.code).toBe(0);
    expect(JSON.parse(fine.stdout).subscriber.preferences).toMatchObject({ frequency: 'weekly', alerts: ['Search Agents'] });
    // The export carries both, in columns the import reads back.
    const exported = await runCli(['subscribers', 'export'], { cwd: dir.path });
    expect(exported.stdout).toMatch(/^only@example\.org,Al,active,.*,alerts,agent$/m);
    expect(exported.stdout).toMatch(/^x@example\.org,.*,weekly,Search Agents$/m);
  });
});

describe('previewing them', () => {
  it('preview --weekly --alert shows the roundup as a reader with that alert would get it', async () => {
    const result = await runCli(['preview', '--weekly', '--date', '2026-08-19', '--alert', 'agent', '--json'], { cwd: dir.path });
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ date: '2026-W34', subject: expect.stringMatching(/ · week of 17–21 Aug 2026$/) });
    const text = readFileSync(summary.paths.text, 'utf8');
    expect(text).toContain('Matching your alerts: “agent”');
    expect(text).toMatch(/^ {2}\d+ upvotes · (Mon|Tue|Wed|Thu|Fri) \d+ Aug · matches agent/m);
  });
});

describe('a week with a broken day', () => {
  it('leaves the day out with a one-line warning and rounds up the rest', async () => {
    const feeds = join(dir.path, 'broken-week');
    mkdirSync(feeds);
    copyFileSync(fixture('2026-08-17'), join(feeds, '2026-08-17.json'));
    copyFileSync(fixture('2025-01-10'), join(feeds, '2026-08-18.json')); // a wrapper object, not the API's array
    // A data dir of its own: the other tests' store already holds this week's edition.
    const result = await runCli(['--data-dir', 'broken-week-data', 'send', '--weekly', '--date', '2026-08-19', '--source', `file:${feeds}`, '--dry-run'], {
      cwd: dir.path,
    });
    expect(result.code).toBe(0);
    expect(
      result.stderr
        .trim()
        .split('\n')
        .filter((line) => line.includes('2026-08-18 left out of the week')),
    ).toHaveLength(1);
    expect(result.stdout).toContain('Dry run: the 2026-W34 edition (10 papers) would go to 0 subscribers');
    // Sent for real to a list without weekly readers: it says so, and points at no outbox folder.
    const sent = await runCli(['--data-dir', 'broken-week-data', 'send', '--weekly', '--date', '2026-08-19', '--source', `file:${feeds}`], {
      cwd: dir.path,
      env: { PAPERBOY_SECRET: 'a-test-secret-of-enough-length' },
    });
    expect(sent.code).toBe(0);
    expect(sent.stdout).toContain('Nobody on default gets this edition: it goes to its weekly readers');
    expect(sent.stdout).not.toContain('Messages are in');
  });
});
