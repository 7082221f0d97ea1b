import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, runCli, tempDir } from '../helpers/cli.js';
import { startSink } from '../helpers/smtp-sink.js';

const dir = tempDir('paperboy-placeholders-');
afterAll(dir.remove);

describe('sending real mail with placeholder settings', () => {
  it('is refused before anything happens, in one line', async () => {
    const data = join(dir.path, 'data');
    await runCli(['--data-dir', data, 'subscribers', 'add', 'ada@example.org', '--confirmed']);
    const noBase = await runCli(['--data-dir', data, 'send', '--transport', 'smtp://127.0.0.1:2525'], { env: { PAPERBOY_FROM: 'News <news@example.org>' } });
    expect(noBase.code).toBe(2);
    expect(noBase.stderr.trim()).toBe(
      'paperboy: newsletter.baseUrl is still http://localhost:8080: unsubscribe and confirm links would not work. Set it to your public https:// address (PAPERBOY_BASE_URL).',
    );
    const noFrom = await runCli(['--data-dir', data, 'send', '--transport', 'smtp://127.0.0.1:2525', '--base-url', 'https://news.example.org']);
    expect(noFrom.code).toBe(2);
    expect(noFrom.stderr).toContain('newsletter.from is still the placeholder address');
    const editions = await runCli(['--data-dir', data, 'editions', 'list', '--json']);
    expect(JSON.parse(editions.stdout)).toEqual([]); // no edition was frozen
  });
});

describe('sending real mail with an http:// base URL', () => {
  const env = { PAPERBOY_FROM: 'News <news@example.org>', PAPERBOY_SECRET: 'a-test-secret-of-enough-length' };
  const send = (data: string, transport: string, baseUrl: string) =>
    runCli(['--data-dir', data, 'send', '--date', '2026-08-21', '--source', `file:${fixture('2026-08-21')}`, '--transport', transport, '--base-url', baseUrl], {
      env,
    });

  it('is refused in one line when the links would leave this machine in clear: one-click unsubscribe needs https', async () => {
    const data = join(dir.path, 'http');
    await runCli(['--data-dir', data, 'subscribers', 'add', 'ada@example.org', '--confirmed']);
    const refused = await send(data, 'smtp://127.0.0.1:2525', 'http://news.example.org');
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toBe(
      'paperboy: newsletter.baseUrl is http://news.example.org: real mail needs an https:// address, for its links and for one-click unsubscribe (RFC 8058); only localhost may stay http://. Set it to your public https:// address (PAPERBOY_BASE_URL).',
    );
    const editions = await runCli(['--data-dir', data, 'editions', 'list', '--json']);
    expect(JSON.parse(editions.stdout)).toEqual([]);
  });

  it('goes out on loopback (links only this machine opens), without the one-click header RFC 8058 keeps for https; with https it has it', async () => {
    const sink = await startSink();
    try {
      const local = join(dir.path, 'loopback');
      await runCli(['--data-dir', local, 'subscribers', 'add', 'ada@example.org', '--confirmed']);
      const sent = await send(local, sink.url, 'http://127.0.0.1:8080');
      expect(sent.code, sent.stderr).toBe(0);
      const secure = join(dir.path, 'https');
      await runCli(['--data-dir', secure, 'subscribers', 'add', 'ada@example.org', '--confirmed']);
      expect((await send(secure, sink.url, 'https://news.example.org')).code).toBe(0);
      const [plain, https] = sink.received.map((mail) => mail.raw.toString('latin1').split('\r\n\r\n')[0]!);
      expect(plain).toMatch(/^List-Unsubscribe: <http:\/\/127\.0\.0\.1:8080\/unsubscribe\?token=/m);
      expect(plain).not.toContain('List-Unsubscribe-Post');
      expect(https).toMatch(/^List-Unsubscribe: <https:\/\/news\.example\.org\/unsubscribe\?token=/m);
      expect(https).toContain('\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n');
    } finally {
      await sink.close();
    }
  });
});
