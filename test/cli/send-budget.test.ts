import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gmailClipBytes } from '../../src/render/index.js';
import { fixture, runCli, tempDir } from '../helpers/cli.js';
import { prepareSend } from '../helpers/send.js';

const dir = tempDir('paperboy-send-budget-');
const day = '2026-05-12'; // 50 papers: far more than fit in 102 KB as cards
const source = `file:${fixture(day)}`;
const env = { PAPERBOY_SECRET: 'a-test-secret-of-enough-length' };
let sent: Buffer[];

beforeAll(async () => {
  await prepareSend(dir.path, ['ada@example.org', 'bob@example.org', 'cy@example.org'], {});
  const result = await runCli(['send', '--source', source, '--date', day, '--top', '60', '--json'], { cwd: dir.path, env });
  expect(result.stderr).toBe('');
  expect(JSON.parse(result.stdout)).toMatchObject({ sent: 3, complete: true });
  const outbox = join(dir.path, 'data', 'outbox', `${day}-default`); // the data directory's outbox
  sent = readdirSync(outbox).map((name) => readFileSync(join(outbox, name)));
}, 60_000);
afterAll(dir.remove);

const headerNames = async (raw: Buffer) => [...(await simpleParser(raw)).headerLines.map((line) => line.key)];

describe('a real send of a 50-paper day with --top 60', () => {
  it('writes no message whose HTML Gmail would clip, and keeps the footer in every one', async () => {
    expect(sent).toHaveLength(3);
    for (const raw of sent) {
      const mail = await simpleParser(raw);
      const html = mail.html as string;
      expect(Buffer.byteLength(html)).toBeLessThanOrEqual(gmailClipBytes);
      expect(html).toContain('More papers today');
      expect(html).toMatch(/href="https:\/\/news\.example\.org\/unsubscribe\?token&#x3D;[^"]+"[^>]*>Unsubscribe<\/a>/);
      // Every paper is still there: as a card, or as a compact row with its link.
      expect(html.match(/href="https:\/\/huggingface\.co\/papers\/[^"]+"/g)!.length).toBeGreaterThanOrEqual(50);
    }
  });

  it('has a preview that reports its budget and carries the same headers as a sent message', async () => {
    const result = await runCli(['preview', '--source', source, '--date', day, '--top', '60', '--out', join(dir.path, 'preview'), '--json'], { cwd: dir.path });
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.budget.html).toBe(summary.sizes.html);
    expect(summary.budget.html).toBeLessThanOrEqual(summary.budget.limit);
    expect(summary.budget.limit).toBeLessThanOrEqual(gmailClipBytes);
    expect(summary.budget.cards).toBeGreaterThan(10);
    expect(summary.budget.cards + summary.budget.compact + summary.budget.omitted).toBe(50);
    const preview = readFileSync(summary.paths.eml);
    expect(await headerNames(preview)).toEqual(await headerNames(sent[0]!));
    expect(await headerNames(preview)).toEqual(expect.arrayContaining(['list-id', 'list-unsubscribe', 'list-unsubscribe-post']));
  });
});
