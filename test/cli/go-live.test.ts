import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, projectRoot, runCli, tempDir } from '../helpers/cli.js';
import { startSink } from '../helpers/smtp-sink.js';

/** A stand-in for huggingface.co: the same recorded day, whatever day is asked for. */
async function startDailyPapers(): Promise<{ url: string; close: () => Promise<void> }> {
  const day = readFileSync(fixture('2026-08-21'));
  const server: Server = createServer((request, response) => {
    const page = new URL(request.url ?? '/', 'http://x').searchParams.get('p');
    response.setHeader('content-type', 'application/json');
    response.end(page === '0' ? day : '[]');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A clone's folder: the paperboy command run in it, with its subscribers/example.csv. */
function freshClone(): { path: string; remove: () => void } {
  const dir = tempDir('paperboy-go-live-');
  mkdirSync(join(dir.path, 'subscribers'));
  copyFileSync(join(projectRoot, 'subscribers', 'example.csv'), join(dir.path, 'subscribers', 'example.csv'));
  return dir;
}

const realReaders = 'email,name\nreader.one@news.test,Reader One\nreader.two@news.test,Reader Two\nreader.three@news.test,Reader Three\n';

describe('going live after the demo (README: Quick start, then Go live)', () => {
  it('mails no demo reader and no sample edition, and says what to do and what it did', async () => {
    const clone = freshClone();
    const sink = await startSink();
    const feed = await startDailyPapers();
    try {
      const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: clone.path, env });
      // npm start: the demo edition of the sample papers to the five demo readers, in the outbox.
      const demo = await cli(['send']);
      expect(demo.code).toBe(0);
      expect(demo.stdout).toContain('Seeded 5 demo subscribers');
      const day = /Created the (\d{4}-\d\d-\d\d) edition/.exec(demo.stdout)![1]!;

      // The five Go-live settings, then the real list.
      const live = {
        PAPERBOY_FROM: 'Research Digest <digest@news.test>',
        PAPERBOY_BASE_URL: 'https://news.test',
        PAPERBOY_TRANSPORT: sink.url,
        PAPERBOY_SECRET: 'a-secret-of-thirty-two-characters!!',
        PAPERBOY_SOURCE: 'hf',
        PAPERBOY_HF_BASE_URL: feed.url,
      };
      writeFileSync(join(clone.path, 'people.csv'), realReaders);
      expect((await cli(['subscribers', 'import', 'people.csv'], live)).code).toBe(0);

      // The same day: the demo edition is not resumed, and nothing is mailed.
      const refused = await cli(['send'], live);
      expect(refused.code).toBe(2);
      expect(refused.stderr.trim().split('\n')).toHaveLength(1);
      expect(refused.stderr).toContain(`The ${day} edition for default is the demo's, made from the bundled sample papers`);
      expect(refused.stderr).toMatch(/Run \S*paperboy(\.js)? demo clear to remove the demo/);
      const rehearsed = await cli(['send', '--dry-run'], live);
      expect(rehearsed.code).toBe(2);
      expect(sink.received).toHaveLength(0);

      const cleared = await cli(['demo', 'clear'], live);
      expect(cleared.code).toBe(0);
      expect(cleared.stdout).toContain('Removed the demo: 1 edition of the sample papers and 5 demo readers');

      const sent = await cli(['send'], live);
      expect(sent.stderr).toBe('');
      expect(sent.code).toBe(0);
      expect(sent.stdout).toContain(`Created the ${day} edition for default`);
      expect(sent.stdout).toContain('3 sent this run');
      expect(sink.received.flatMap((mail) => mail.to).sort()).toEqual(['reader.one@news.test', 'reader.three@news.test', 'reader.two@news.test']);
      const shown = await cli(['editions', 'show', day], live);
      expect(shown.stdout).toContain('(from hf,');
      expect((await cli(['demo', 'clear'], live)).stdout).toContain('No demo here');
    } finally {
      await Promise.all([sink.close(), feed.close()]);
      clone.remove();
    }
  });

  it('left in the store, the demo readers get no real mail: the run says it left them out', async () => {
    const clone = freshClone();
    const sink = await startSink();
    try {
      const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: clone.path, env });
      expect((await cli(['send', '--date', '2026-08-20', '--source', fixture('2026-08-20').replace(/^/, 'file:')])).code).toBe(0);
      writeFileSync(join(clone.path, 'people.csv'), realReaders);
      await cli(['subscribers', 'import', 'people.csv']);
      const demoListed = await cli(['subscribers', 'list']);
      expect(demoListed.stdout).toContain('ada@example.org  active (demo)');
      expect(demoListed.stdout).toMatch(/reader\.one@news\.test {2}active {2}/);

      const live = { PAPERBOY_FROM: 'Research Digest <digest@news.test>', PAPERBOY_BASE_URL: 'https://news.test', PAPERBOY_TRANSPORT: sink.url };
      const source = `file:${fixture('2026-08-21')}`;
      const dryRun = await cli(['send', '--dry-run', '--source', source], live);
      expect(dryRun.stdout).toContain('would go to 3 subscribers of default');
      const sent = await cli(['send', '--source', source], live);
      expect(sent.code).toBe(0);
      expect(sent.stdout).toContain('Left out 5 demo readers (seeded from example.csv): real mail never goes to them.');
      expect(sink.received.flatMap((mail) => mail.to).filter((to) => to.endsWith('@example.org'))).toEqual([]);
      expect(sink.received).toHaveLength(3);
      // The outbox still has the demo's messages; nothing of the real send went there.
      expect(readdirSync(join(clone.path, 'subscribers', 'outbox'))).toEqual(['2026-08-20-default']);
    } finally {
      await sink.close();
      clone.remove();
    }
  });

  it('refuses real mail from the sample papers unless asked for by name', async () => {
    const clone = freshClone();
    const sink = await startSink();
    try {
      const live = { PAPERBOY_FROM: 'Research Digest <digest@news.test>', PAPERBOY_BASE_URL: 'https://news.test', PAPERBOY_TRANSPORT: sink.url };
      const refused = await runCli(['send'], { cwd: clone.path, env: live });
      expect(refused.code).toBe(2);
      expect(refused.stderr.trim()).toBe(
        "paperboy: The source is still the bundled sample papers (the demo's) while mail goes out for real. Set PAPERBOY_SOURCE=hf for the Daily Papers feed, or give --source sample to send the samples on purpose.",
      );
      expect(sink.received).toHaveLength(0);
    } finally {
      await sink.close();
      clone.remove();
    }
  });
});
