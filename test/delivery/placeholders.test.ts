import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

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
