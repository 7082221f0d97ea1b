import { PaperboyError } from '../errors.js';

type Kind = 'string' | 'int' | 'number';

/** PAPERBOY_* variables that set a config key (the key path and how to read the value). */
export const configEnvironment: Record<string, { path: string; kind: Kind; emptyMeansValue?: boolean }> = {
  PAPERBOY_SOURCE: { path: 'source', kind: 'string' },
  PAPERBOY_TIMEZONE: { path: 'timezone', kind: 'string' },
  PAPERBOY_EDITION_DAY: { path: 'editionDay', kind: 'string' },
  PAPERBOY_TEMPLATES: { path: 'templates', kind: 'string' },
  PAPERBOY_PREVIEW_DIR: { path: 'previewDir', kind: 'string' },
  PAPERBOY_DATA_DIR: { path: 'dataDir', kind: 'string' },
  PAPERBOY_DATABASE_URL: { path: 'database', kind: 'string' },
  PAPERBOY_TOP: { path: 'selection.top', kind: 'int' },
  PAPERBOY_MIN_UPVOTES: { path: 'selection.minUpvotes', kind: 'int' },
  PAPERBOY_SKIP_RECENT_DAYS: { path: 'selection.skipRecentDays', kind: 'int' },
  PAPERBOY_WEEKLY_TOP: { path: 'selection.weeklyTop', kind: 'int' },
  PAPERBOY_NEWSLETTER_NAME: { path: 'newsletter.name', kind: 'string' },
  PAPERBOY_FROM: { path: 'newsletter.from', kind: 'string' },
  PAPERBOY_REPLY_TO: { path: 'newsletter.replyTo', kind: 'string' },
  PAPERBOY_BASE_URL: { path: 'newsletter.baseUrl', kind: 'string' },
  PAPERBOY_TRANSPORT: { path: 'transport', kind: 'string' },
  PAPERBOY_CONCURRENCY: { path: 'delivery.concurrency', kind: 'int' },
  PAPERBOY_RATE_LIMIT: { path: 'delivery.rateLimit', kind: 'number' },
  PAPERBOY_SCHEDULE_CRON: { path: 'schedule.cron', kind: 'string' },
  PAPERBOY_SCHEDULE_WEEKLY_CRON: { path: 'schedule.weeklyCron', kind: 'string', emptyMeansValue: true },
  PAPERBOY_PORT: { path: 'web.port', kind: 'int' },
  PAPERBOY_HOST: { path: 'web.host', kind: 'string' },
  PAPERBOY_HF_BASE_URL: { path: 'hf.baseUrl', kind: 'string' },
  PAPERBOY_HF_TIMEOUT_MS: { path: 'hf.timeoutMs', kind: 'int' },
  PAPERBOY_HF_RETRIES: { path: 'hf.retries', kind: 'int' },
  PAPERBOY_ADMIN_PASSWORD_HASH: { path: 'admin.passwordHash', kind: 'string' },
};

/** PAPERBOY_* variables read elsewhere (not config keys). */
export const otherEnvironment = new Set([
  'PAPERBOY_CONFIG',
  'PAPERBOY_SECRET',
  'PAPERBOY_SMTP_USER',
  'PAPERBOY_SMTP_PASS',
  'PAPERBOY_IMAP_PASS',
  'PAPERBOY_CHROMIUM',
]);

export interface Layer {
  values: Record<string, unknown>;
  /** Where each key path came from, for error messages. */
  origins: Map<string, string>;
}

export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1)!] = value;
}

/** The config layer that PAPERBOY_* variables make; an unknown PAPERBOY_* name is an error (likely a typo). */
export function environmentLayer(env: NodeJS.ProcessEnv): Layer {
  const values: Record<string, unknown> = {};
  const origins = new Map<string, string>();
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('PAPERBOY_') || raw === undefined) continue;
    const entry = configEnvironment[name];
    // An empty variable is unset (EnvironmentFile lines left blank), unless empty is a value of its own ("" turns the weekly roundup off).
    if (raw === '' && !entry?.emptyMeansValue) continue;
    if (!entry) {
      if (otherEnvironment.has(name)) continue;
      const known = [...Object.keys(configEnvironment), ...otherEnvironment].join(', ');
      throw new PaperboyError('CONFIG', `Unknown environment variable ${name}; paperboy reads ${known}.`);
    }
    const numeric = entry.kind === 'int' ? /^-?\d+$/ : /^-?\d+(\.\d+)?$/;
    const value = entry.kind !== 'string' && numeric.test(raw.trim()) ? Number(raw) : raw;
    setPath(values, entry.path, value);
    origins.set(entry.path, name);
  }
  return { values, origins };
}
