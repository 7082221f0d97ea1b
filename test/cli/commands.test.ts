import { describe, expect, it } from 'vitest';
import { paperboyCommand, sendCommand } from '../../src/cli/commands.js';
import { invocation, shellQuote } from '../../src/cli/invocation.js';

describe('the commands paperboy prints', () => {
  it('repeats the store, config, source, transport and base URL that were given, quoted for a shell', () => {
    const { command, passwordsFrom } = sendCommand(
      { config: 'my config.json', dataDir: '/srv/paperboy data' },
      { list: 'team', day: '2026-08-21', source: "file:/tmp/it's.json", transport: 'smtp://relay.example.org:2525', baseUrl: 'https://news.example.org' },
    );
    expect(command).toMatch(
      / --config 'my config.json' --data-dir '\/srv\/paperboy data' send --list team --date 2026-08-21 --source 'file:\/tmp\/it'\\''s.json' --transport smtp:\/\/relay.example.org:2525 --base-url https:\/\/news.example.org$/,
    );
    expect(passwordsFrom).toEqual([]);
  });

  it('never prints a password, and says it must come from PAPERBOY_SMTP_PASS', () => {
    const { command, passwordsFrom } = sendCommand(
      { databaseUrl: 'postgres://paperboy:dbsecret@db.example.org/paperboy' },
      { list: 'default', day: '2026-08-21', transport: 'smtp://mailer:hunter2secret@relay.example.org:587' },
    );
    expect(command).not.toContain('hunter2secret');
    expect(command).not.toContain('dbsecret');
    expect(command).toMatch(/--database-url postgres:\/\/paperboy@db.example.org\/paperboy send .* --transport smtp:\/\/mailer@relay.example.org:587$/);
    expect(passwordsFrom).toEqual(['PGPASSWORD', 'PAPERBOY_SMTP_PASS']);
  });

  it('repeat the environment file and the store for any command, and --retry-failed for a retry', () => {
    const global = { environmentFile: '/etc/paperboy/env', dataDir: 'data' };
    expect(paperboyCommand(global, ['editions', 'show', '2026-08-21', '--list', 'default']).command).toMatch(
      / --environment-file \/etc\/paperboy\/env --data-dir data editions show 2026-08-21 --list default$/,
    );
    const retry = sendCommand(global, { list: 'default', day: '2026-W34', transport: 'smtp://relay.example.org:2525', retryFailed: true });
    expect(retry.command).toMatch(/ send --list default --date 2026-W34 --weekly --transport smtp:\/\/relay.example.org:2525 --retry-failed$/);
  });

  it('starts with how paperboy was run: the bare name from the PATH, else the path used', () => {
    expect(invocation(['node', '/usr/local/bin/paperboy'], { PATH: '/usr/bin:/usr/local/bin' }, '/home/ada')).toBe('paperboy');
    expect(invocation(['node', '/srv/paperboy/paperboy'], { PATH: '/usr/bin' }, '/srv/paperboy')).toBe('./paperboy');
    expect(invocation(['node', '/srv/paperboy/bin/paperboy.js'], { PATH: '/usr/bin' }, '/srv/paperboy')).toBe('./bin/paperboy.js');
    expect(invocation(['node', '/srv/my paperboy/paperboy'], { PATH: '/usr/bin' }, '/tmp')).toBe("'/srv/my paperboy/paperboy'");
    expect(shellQuote('a;rm -rf /')).toBe("'a;rm -rf /'");
  });
});
