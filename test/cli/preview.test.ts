import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, describe, expect, it } from 'vitest';
import { gmailClipBytes } from '../../src/render/index.js';
import { fixture, runCli, tempDir } from '../helpers/cli.js';

const out = tempDir();
afterAll(out.remove);

const goodDays = { '2024-06-13': 10, '2025-01-21': 1, '2025-03-17': 10, '2025-10-03': 10, '2026-05-12': 10, '2026-08-21': 10 };

describe('paperboy preview', () => {
  it.each(Object.entries(goodDays))('writes a complete digest for %s', async (day, expected) => {
    const dir = join(out.path, day);
    const result = await runCli(['preview', '--source', `file:${fixture(day)}`, '--out', dir, '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.date).toBe(day);
    expect(summary.papers).toHaveLength(expected);
    expect(summary.sizes.html).toBeLessThan(gmailClipBytes);

    const mail = await simpleParser(readFileSync(summary.paths.eml));
    expect(mail.subject).toBe(summary.subject);
    expect(mail.from?.text).toContain('@');
    expect(mail.date).toBeInstanceOf(Date);
    expect(mail.messageId).toBe(`<preview.${day}@paperboy.localhost>`);
    expect(mail.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    expect(mail.text!.replace(/\s+/g, ' ')).toContain(summary.papers[0].title);
    // The preview files are the sent parts byte for byte (CRLF); mailparser hands back LF.
    expect(mail.html).toBe(readFileSync(summary.paths.html, 'utf8').replace(/\r\n/g, '\n'));
    expect(summary.budget.html).toBe(summary.sizes.html);
    const hrefs = [...(mail.html as string).matchAll(/href="([^"]+)"/g)].map((match) => match[1]);
    for (const paper of summary.papers) expect(hrefs).toContain(`https://huggingface.co/papers/${paper.id}`);
    expect(hrefs.some((href) => href!.includes('/unsubscribe?token'))).toBe(true);
    expect(hrefs.every((href) => /^https?:\/\//.test(href!))).toBe(true);
  });

  it.each([
    ['2024-12-11', /holds 26 items and none is a paper/],
    ['2025-01-10', /is an object with keys status, date, count, data, not a list of daily papers/],
  ])('fails the broken day %s with one clear line and a non-zero exit', async (day, message) => {
    const result = await runCli(['preview', '--source', `file:${fixture(day)}`, '--out', join(out.path, day)]);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('runs on the bundled sample with no arguments and prints the paths', async () => {
    const result = await runCli(['preview', '--out', join(out.path, 'sample')], { cwd: out.path });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Digest for \d{4}-\d{2}-\d{2}: 10 papers from sample/);
    expect(result.stdout).toContain('digest.html');
    expect(result.stdout).toContain('digest.eml');
  });

  it('rejects a bad date and an unknown source with one line each', async () => {
    const badDate = await runCli(['preview', '--date', '2026-13-01', '--out', out.path]);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr.trim()).toBe('paperboy: 2026-13-01 does not exist: there is no month 13.');
    const badSource = await runCli(['preview', '--source', 'rss', '--out', out.path]);
    expect(badSource.code).toBe(2);
    expect(badSource.stderr.trim()).toBe('paperboy: Unknown source "rss". Use hf, sample or file:PATH.');
  });

  it('answers --help at once without loading the heavy modules', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('preview');
  });
});

describe('a network that cannot reach Hugging Face', () => {
  it('preview --source hf fails at once (exit 3) naming the host and the DNS failure, without retrying', async () => {
    const result = await runCli(['preview', '--source', 'hf', '--out', join(out.path, 'hf-offline')], {
      env: { PAPERBOY_HF_BASE_URL: 'https://paperboy-offline-test.invalid' },
    });
    expect(result.code).toBe(3);
    expect(result.stderr.trim()).toMatch(/^paperboy: Cannot reach paperboy-offline-test\.invalid: DNS lookup failed \((ENOTFOUND|EAI_AGAIN)\)\./);
    expect(result.stderr).not.toContain('attempts'); // a retried failure says after how many
  });
});
