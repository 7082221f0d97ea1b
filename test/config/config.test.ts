import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { relaysOf, sendsRealMail, transportSpecs } from '../../src/config/index.js';
import { dataDirectory, type LoadOptions, loadConfig } from '../../src/config/load.js';
import { PaperboyError } from '../../src/errors.js';

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'paperboy-config-'));
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

const writeConfig = (text: string, name = 'paperboy.config.json') => {
  writeFileSync(join(cwd, name), text);
  return join(cwd, name);
};

const load = (options: LoadOptions = {}) => loadConfig({ cwd, env: {}, ...options });

function configError(options: LoadOptions = {}): PaperboyError {
  try {
    load(options);
  } catch (error) {
    expect(error).toBeInstanceOf(PaperboyError);
    expect((error as PaperboyError).code).toBe('CONFIG');
    expect((error as PaperboyError).message).not.toContain('\n');
    return error as PaperboyError;
  }
  throw new Error('loadConfig did not throw');
}

describe('loadConfig', () => {
  it('uses the defaults when there is no file, env or flag', () => {
    const config = load();
    expect(config.source).toBe('sample');
    expect(config.timezone).toBe('UTC');
    expect(config.editionDay).toBe('today');
    expect(config.selection).toEqual({ top: 10, minUpvotes: 0, skipRecentDays: 7, weeklyTop: 10 });
    expect(config.hf.baseUrl).toBe('https://huggingface.co');
    expect(config.templates).toBeUndefined();
  });

  it('layers file < environment < flags', () => {
    writeConfig(JSON.stringify({ source: 'hf', timezone: 'Asia/Tokyo', selection: { top: 3, minUpvotes: 4 } }));
    expect(load().selection).toMatchObject({ top: 3, minUpvotes: 4 });

    const env = { PAPERBOY_TOP: '5', PAPERBOY_TIMEZONE: 'Europe/Berlin' };
    const fromEnv = load({ env });
    expect(fromEnv).toMatchObject({ source: 'hf', timezone: 'Europe/Berlin', selection: { top: 5, minUpvotes: 4 } });

    const fromFlags = load({ env, flags: { 'selection.top': 7, source: 'sample', timezone: undefined } });
    expect(fromFlags).toMatchObject({ source: 'sample', timezone: 'Europe/Berlin', selection: { top: 7, minUpvotes: 4, skipRecentDays: 7 } });
  });

  it('reads a config file with comments and trailing commas', () => {
    writeConfig(`{
      // which feed
      "source": "hf", /* block comment */
      "hf": { "retries": 1, },
    }`);
    const config = load();
    expect(config.source).toBe('hf');
    expect(config.hf.retries).toBe(1);
    expect(config.hf.timeoutMs).toBe(15_000);
  });

  it("says what a pattern wants in the pattern's own words, and names a required key that is missing", () => {
    expect(() => load({ flags: { database: 'mysql://db.example.org/x' } })).toThrow(
      /Config key "database" \(from the command line\) must be a postgres:\/\/ URL/,
    );
    writeConfig('{ "bounces": { "webhooks": { "ses": {} } } }');
    expect(() => load()).toThrow(/Config key "bounces\.webhooks\.ses\.topicArn" \(from .*paperboy\.config\.json\) is required/);
    writeConfig('{ "bounces": { "webhooks": { "ses": { "topicArn": "any" } } } }');
    expect(() => load()).toThrow(/must be an SNS topic ARN/);
  });

  it('treats an empty variable as unset, except PAPERBOY_SCHEDULE_WEEKLY_CRON, whose "" turns the roundup off', () => {
    expect(load({ env: { PAPERBOY_TOP: '' } }).selection.top).toBe(10);
    expect(load({ env: {} }).schedule.weeklyCron).toBe('0 7 * * 1');
    expect(load({ env: { PAPERBOY_SCHEDULE_WEEKLY_CRON: '' } }).schedule.weeklyCron).toBe('');
  });

  it('finds the file through PAPERBOY_CONFIG and an explicit configPath', () => {
    writeConfig('{ "selection": { "top": 2 } }', 'custom.json');
    expect(load({ env: { PAPERBOY_CONFIG: 'custom.json' } }).selection.top).toBe(2);
    expect(load({ configPath: 'custom.json' }).selection.top).toBe(2);
  });

  it('names an unknown key by its full path and file', () => {
    const path = writeConfig('{ "selection": { "tpo": 5 } }');
    const error = configError();
    expect(error.message).toContain('"selection.tpo"');
    expect(error.message).toContain(path);
  });

  it('names an unknown top-level key', () => {
    writeConfig('{ "sorce": "hf" }');
    expect(configError().message).toContain('Unknown config key "sorce"');
  });

  it('names the key and origin of a wrong type', () => {
    const path = writeConfig('{ "selection": { "top": "ten" } }');
    const error = configError();
    expect(error.message).toContain('"selection.top"');
    expect(error.message).toContain(`from ${path}`);
  });

  it('reports bad JSON with its line', () => {
    writeConfig('{\n  "source": "hf"\n  "timezone": "UTC"\n}');
    expect(configError().message).toMatch(/line 3/);
  });

  it.each([
    ['a wrong type', { env: { PAPERBOY_TOP: 'abc' } }, 'Config key "selection.top" (from PAPERBOY_TOP) must be a whole number from 1 to 100, got "abc".'],
    [
      'a number out of range',
      { env: { PAPERBOY_TOP: '500' } },
      'Config key "selection.top" (from PAPERBOY_TOP) must be a whole number from 1 to 100, got 500.',
    ],
    [
      'a number below its floor',
      { flags: { 'delivery.rateLimit': -2 } },
      'Config key "delivery.rateLimit" (from the command line) must be a number of at least 0, got -2.',
    ],
    [
      'a value outside an enum',
      { env: { PAPERBOY_EDITION_DAY: 'tomorrow' } },
      'Config key "editionDay" (from PAPERBOY_EDITION_DAY) must be one of "today", "yesterday", got "tomorrow".',
    ],
    [
      'a URL that is not http(s)',
      { env: { PAPERBOY_BASE_URL: 'ftp://news.example.org' } },
      'Config key "newsletter.baseUrl" (from PAPERBOY_BASE_URL) must be an http:// or https:// address, e.g. https://news.example.org, got "ftp://news.example.org".',
    ],
    [
      'a pattern, without repeating a password',
      { env: { PAPERBOY_DATABASE_URL: 'mysql://u:hunter2@db/x' } },
      /^Config key "database" \(from PAPERBOY_DATABASE_URL\) must be a postgres:\/\/ URL.*, got "mysql:\/\/u:\*\*\*@db\/x"\.$/,
    ],
    [
      'true or false',
      { flags: { 'newsletter.heroImage': 'yes' } },
      'Config key "newsletter.heroImage" (from the command line) must be true or false, got "yes".',
    ],
  ])('says what is wrong with %s: what the key takes and the value given', (_kind, options, message) => {
    const error = configError(options as LoadOptions);
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
    expect(error.message).not.toContain('is required');
    expect(error.message).not.toContain('hunter2');
  });

  it('a flag out of range names the command line', () => {
    const error = configError({ flags: { 'selection.top': 0 } });
    expect(error.message).toContain('"selection.top" (from the command line)');
  });

  it('an unknown PAPERBOY_ variable is an error naming it; other variables are ignored', () => {
    expect(configError({ env: { PAPERBOY_TPO: '5' } }).message).toContain('PAPERBOY_TPO');
    expect(load({ env: { PAPERBOY_SECRET: 'x', HOME: '/root', PAPERBOY_TOP: '' } }).selection.top).toBe(10);
  });

  it('an explicit config path that does not exist is an error', () => {
    expect(configError({ configPath: 'missing.json' }).message).toContain(join(cwd, 'missing.json'));
    expect(configError({ env: { PAPERBOY_CONFIG: 'gone.json' } }).message).toContain('gone.json');
  });

  it('rejects a bad time zone', () => {
    expect(configError({ env: { PAPERBOY_TIMEZONE: 'Mars/Olympus_Mons' } }).message).toMatch(/"timezone".*PAPERBOY_TIMEZONE.*IANA/);
    writeConfig('{ "timezone": "Europe/Berln" }');
    expect(configError().message).toContain('"timezone"');
  });

  it("reads relative paths in a config file from the file's folder, wherever paperboy runs", () => {
    const home = join(cwd, 'srv');
    mkdirSync(home);
    const file = join(home, 'paperboy.config.json');
    writeFileSync(file, JSON.stringify({ dataDir: 'data', transport: 'outbox:mail', source: 'file:papers.json', templates: '/abs/templates' }));
    const elsewhere = join(cwd, 'elsewhere');
    mkdirSync(elsewhere);
    const config = loadConfig({ cwd: elsewhere, env: {}, configPath: file });
    expect(config).toMatchObject({
      dataDir: join(home, 'data'),
      transport: `outbox:${join(home, 'mail')}`,
      source: `file:${join(home, 'papers.json')}`,
      templates: '/abs/templates',
    });
    expect(dataDirectory(config, elsewhere)).toBe(join(home, 'data'));

    // The default data directory comes with the file; a variable stays as given (it is the caller's).
    writeFileSync(file, '{}');
    expect(loadConfig({ cwd: elsewhere, env: {}, configPath: file }).dataDir).toBe(join(home, 'subscribers'));
    expect(loadConfig({ cwd: elsewhere, env: { PAPERBOY_DATA_DIR: 'mine' }, configPath: file }).dataDir).toBe('mine');
  });

  it('refuses the default data directory in a folder that holds none, in one line', () => {
    const config = load();
    expect(() => dataDirectory(config, cwd)).toThrow(
      new PaperboyError(
        'CONFIG',
        `There is no paperboy data directory here: ${join(cwd, 'subscribers')} does not exist. Run paperboy in its folder, or name the store with --data-dir DIR, PAPERBOY_DATA_DIR or a config file (--config FILE).`,
      ),
    );
    expect(dataDirectory(load({ env: { PAPERBOY_DATA_DIR: join(cwd, 'new') } }), cwd)).toBe(join(cwd, 'new'));
  });

  it('returns a deeply frozen config', () => {
    const config = load();
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.selection)).toBe(true);
    expect(Object.isFrozen(config.hf)).toBe(true);
    expect(() => {
      (config.selection as { top: number }).top = 99;
    }).toThrow(TypeError);
  });
});

const withRelays = (relays: unknown[], more: Record<string, unknown> = {}) => writeConfig(JSON.stringify({ ...more, delivery: { maxConnections: 6, relays } }));

describe('delivery.relays', () => {
  it('fills in each relay: a name from host:port without the credentials, weight 1, the delivery pool size, no rate limit', () => {
    withRelays([
      { url: 'smtp://user:s3cret@email-smtp.eu-west-1.amazonaws.com:587', weight: 3 },
      { url: 'smtps://smtp.postmarkapp.com', name: 'postmark', maxConnections: 4, rateLimit: 50, domains: ['GMail.com', 'googlemail.com'] },
      { url: 'json:' },
    ]);
    expect(relaysOf(load())).toEqual([
      {
        name: 'email-smtp.eu-west-1.amazonaws.com:587',
        url: 'smtp://user:s3cret@email-smtp.eu-west-1.amazonaws.com:587',
        weight: 3,
        maxConnections: 6,
        rateLimit: 0,
      },
      { name: 'postmark', url: 'smtps://smtp.postmarkapp.com', weight: 1, maxConnections: 4, rateLimit: 50, domains: ['gmail.com', 'googlemail.com'] },
      { name: 'json:', url: 'json:', weight: 1, maxConnections: 6, rateLimit: 0 },
    ]);
  });

  it('changes nothing when absent or empty: the transport alone', () => {
    expect(relaysOf(load())).toEqual([]);
    withRelays([]);
    const config = load({ flags: { transport: 'json:' } });
    expect(relaysOf(config)).toEqual([]);
    expect(transportSpecs(config)).toEqual(['json:']);
  });

  it('counts as real mail when any relay is SMTP (or a module), and not when every relay only writes files or lines', () => {
    withRelays([{ url: 'outbox:./a' }, { url: 'json:' }]);
    expect(sendsRealMail(load())).toBe(false);
    withRelays([{ url: 'outbox:./a' }, { url: 'smtp://relay.example.org' }]);
    expect(sendsRealMail(load())).toBe(true);
  });

  it('refuses a transport and relays together, in one line naming where each came from', () => {
    withRelays([{ url: 'smtp://a.example.org' }]);
    expect(configError({ flags: { transport: 'smtp://b.example.org' } }).message).toBe(
      `Both "transport" (from the command line) and "delivery.relays" (from ${join(cwd, 'paperboy.config.json')}) are set; use one: delivery.relays for several relays, transport for one.`,
    );
  });

  it('refuses two relays of one name, the names they get from their URLs included', () => {
    withRelays([{ url: 'smtp://a.example.org' }, { url: 'smtp://other:pw@a.example.org:587' }]);
    expect(configError().message).toMatch(/^Two relays of "delivery.relays" \(from .*\) are named "a.example.org:587"; give each a "name" of its own\.$/);
  });

  it.each([
    [
      { url: 'smpt://a.example.org' },
      /"delivery.relays.0.url" \(from \S+paperboy.config.json\) must be a transport URL: smtp:\/\/, smtps:\/\/, outbox:, json: or module:/,
    ],
    [{ url: 'smtp://u:hunter2@a.example.org', weight: 0 }, /"delivery.relays.0.weight" .* must be a number above 0, got 0\.$/],
    [{ url: 'json:', maxConnections: 0 }, /"delivery.relays.0.maxConnections" .* must be a whole number from 1 to 100, got 0\.$/],
    [{ url: 'json:', domains: ['@gmail'] }, /"delivery.relays.0.domains.0" .* must be a recipient domain, e.g. gmail.com/],
    [{ url: 'json:', port: 25 }, /^Unknown config key "delivery.relays.0.port" in \S+paperboy.config.json;/],
  ])('says what is wrong with a relay: %j', (relay, message) => {
    withRelays([relay]);
    const error = configError().message;
    expect(error).toMatch(message);
    expect(error).not.toContain('hunter2');
  });
});
