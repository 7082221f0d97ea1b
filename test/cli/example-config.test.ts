import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { projectRoot, runCli, tempDir } from '../helpers/cli.js';

const dir = tempDir('paperboy-example-config-');
afterAll(dir.remove);

describe('paperboy.config.example.json', () => {
  it('holds exactly the defaults, so copying it changes nothing', () => {
    // Both read from the same folder, so their relative paths are anchored alike.
    copyFileSync(join(projectRoot, 'paperboy.config.example.json'), join(dir.path, 'example.json'));
    writeFileSync(join(dir.path, 'empty.json'), '{}');
    const example = loadConfig({ configPath: join(dir.path, 'example.json'), env: {}, cwd: dir.path });
    const defaults = loadConfig({ configPath: join(dir.path, 'empty.json'), env: {}, cwd: dir.path });
    expect(example).toEqual(defaults);
  });

  it('copied as it is to paperboy.config.json, lets send and preview succeed offline', async () => {
    const work = join(dir.path, 'copied');
    mkdirSync(join(work, 'subscribers'), { recursive: true });
    copyFileSync(join(projectRoot, 'paperboy.config.example.json'), join(work, 'paperboy.config.json'));
    copyFileSync(join(projectRoot, 'subscribers', 'example.csv'), join(work, 'subscribers', 'example.csv'));
    const send = await runCli(['send'], { cwd: work });
    expect(send.stderr).toBe('');
    expect(send.code).toBe(0);
    expect(send.stdout).toContain('5 sent this run');
    const preview = await runCli(['preview', '--json'], { cwd: work });
    expect(preview.code).toBe(0);
    expect(JSON.parse(preview.stdout).paths.html).toBe(join(work, 'preview', 'digest.html'));
  });
});

describe('paperboy.config.production.json', () => {
  it('is a valid config for a live newsletter: Hugging Face, SMTP, a real base URL, one proxy', () => {
    const config = loadConfig({ configPath: join(projectRoot, 'paperboy.config.production.json'), env: {}, cwd: projectRoot });
    expect(config).toMatchObject({
      source: 'hf',
      transport: 'smtp://paperboy@smtp.example.org:587',
      newsletter: { baseUrl: 'https://news.example.org' },
      web: { trustProxy: 1 },
    });
  });
});
