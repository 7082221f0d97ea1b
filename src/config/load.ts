import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { type ParseError, parse as parseJsonc, printParseErrorCode } from 'jsonc-parser';
import type { z } from 'zod';
import { redactDatabaseUrl } from '../db/index.js';
import { messageOf, PaperboyError } from '../errors.js';
import { environmentLayer, type Layer, setPath } from './env.js';
import { checkRelays } from './relays.js';
import { type Config, configSchema } from './schema.js';

export const defaultConfigFile = 'paperboy.config.json';

export interface LoadOptions {
  /** An explicit --config path (must exist); otherwise PAPERBOY_CONFIG, then ./paperboy.config.json if present. */
  configPath?: string;
  env?: NodeJS.ProcessEnv;
  /** Command-line flags as key paths, e.g. { 'selection.top': 5 }. Undefined values are ignored. */
  flags?: Record<string, unknown>;
  cwd?: string;
}

/** Line and column (from 1) of an offset, for messages. */
function positionOf(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before.at(-1)!.length + 1}`;
}

/** What jsonc-parser's error codes mean, in words. */
const syntaxErrors: Record<string, string> = {
  InvalidSymbol: 'an unexpected character',
  InvalidNumberFormat: 'a malformed number',
  PropertyNameExpected: 'a key in double quotes was expected',
  ValueExpected: 'a value was expected',
  ColonExpected: 'a colon (:) was expected after the key',
  CommaExpected: 'a comma was expected between entries',
  CloseBraceExpected: 'a closing } was expected',
  CloseBracketExpected: 'a closing ] was expected',
  EndOfFileExpected: 'there is text after the closing }',
  InvalidCommentToken: 'a malformed comment',
  UnexpectedEndOfComment: 'a /* comment */ that never ends',
  UnexpectedEndOfString: 'a string that never ends (a missing ")',
  UnexpectedEndOfNumber: 'a number that ends too soon',
  InvalidUnicode: 'a malformed \\u escape',
  InvalidEscapeCharacter: 'a malformed \\ escape',
  InvalidCharacter: 'a character that is not allowed in a string (a line break?)',
};

/** Reads the config file (JSON with comments allowed). */
function fileLayer(path: string): Layer {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PaperboyError('CONFIG', `Cannot read config file ${path}: ${messageOf(error)}.`);
  }
  const errors: ParseError[] = [];
  const values: unknown = parseJsonc(text, errors, { allowTrailingComma: true });
  if (errors.length > 0) {
    const first = errors[0]!;
    const code = printParseErrorCode(first.error);
    throw new PaperboyError(
      'CONFIG',
      `${path} ${positionOf(text, first.offset)}: ${syntaxErrors[code] ?? code}; fix the file (comments and trailing commas are fine).`,
    );
  }
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new PaperboyError('CONFIG', `${path} must hold a JSON object of settings.`);
  }
  const origins = new Map<string, string>();
  const walk = (node: Record<string, unknown>, prefix: string) => {
    for (const [key, value] of Object.entries(node)) {
      const path2 = prefix ? `${prefix}.${key}` : key;
      origins.set(path2, path);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) walk(value as Record<string, unknown>, path2);
    }
  };
  walk(values as Record<string, unknown>, '');
  return { values: values as Record<string, unknown>, origins };
}

function flagLayer(flags: Record<string, unknown>): Layer {
  const values: Record<string, unknown> = {};
  const origins = new Map<string, string>();
  for (const [path, value] of Object.entries(flags)) {
    if (value === undefined) continue;
    setPath(values, path, value);
    origins.set(path, 'the command line');
  }
  return { values, origins };
}

function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && typeof existing === 'object' && existing !== null) {
      mergeInto(existing as Record<string, unknown>, value as Record<string, unknown>);
    } else {
      target[key] = value;
    }
  }
}

/** The schema of the key at `path`, its defaults and optionality unwrapped. */
function schemaAt(path: readonly PropertyKey[]): z.core.$ZodType | undefined {
  let node: z.core.$ZodType | undefined = configSchema;
  const unwrap = (schema: z.core.$ZodType | undefined) => {
    let current = schema;
    for (
      let inner = current && (current._zod.def as { innerType?: z.core.$ZodType }).innerType;
      inner;
      inner = (current._zod.def as { innerType?: z.core.$ZodType }).innerType
    )
      current = inner;
    return current;
  };
  for (const key of path) {
    const object = unwrap(node) as { shape?: Record<string, z.core.$ZodType>; element?: z.core.$ZodType } | undefined;
    node = typeof key === 'number' ? object?.element : object?.shape?.[String(key)];
  }
  return unwrap(node);
}

/** "a whole number from 1 to 100", "a number of at least 0": what a numeric key takes, from its schema. */
function numberWords(path: readonly PropertyKey[]): string {
  const schema = schemaAt(path) as { minValue?: number | null; maxValue?: number | null; isInt?: boolean } | undefined;
  const kind = schema?.isInt ? 'a whole number' : 'a number';
  const min = schema?.minValue ?? undefined;
  const max = schema?.maxValue ?? undefined;
  const bounded = (value: number | undefined) => value !== undefined && Number.isFinite(value) && Math.abs(value) < Number.MAX_SAFE_INTEGER;
  if (bounded(min) && bounded(max)) return `${kind} from ${min} to ${max}`;
  if (bounded(min)) return `${kind} of at least ${min}`;
  if (bounded(max)) return `${kind} of at most ${max}`;
  return kind;
}

/** Keys whose values may be secrets: an error names what is wrong, never the value. */
const secretKey = /(secret|password|signingKey|publicKey|^database$|\.url$)/i;

/** The value a person gave, as the error shows it: quoted, cut short, and never a secret. */
function shown(value: unknown, path: string): string {
  if (secretKey.test(path)) return typeof value === 'string' ? `"${redactDatabaseUrl(value).replace(/^(.{40}).+$/s, '$1…')}"` : 'a value of the wrong kind';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/** Keys whose values are never shown, not even in part: a password pasted where its hash belongs must not reach a log. */
const unshownKey = /passwordHash$/;

/** What a value must be, in words a person reads (zod's own messages are for developers), and what it was. */
function expectation(issue: z.core.$ZodIssue): string {
  const path = issue.path.join('.');
  const got = 'input' in issue && issue.input !== undefined && !unshownKey.test(path) ? `, got ${shown(issue.input, path)}` : '';
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required; see paperboy.config.example.json';
      if (issue.expected === 'number' || issue.expected === 'int') return `must be ${numberWords(issue.path)}${got}`;
      return `must be ${issue.expected === 'array' ? 'a list' : issue.expected === 'boolean' ? 'true or false' : `a ${issue.expected}`}${got}`;
    case 'too_big':
      return issue.origin === 'string' ? `must be at most ${issue.maximum} characters` : `must be ${numberWords(issue.path)}${got}`;
    case 'too_small':
      return issue.origin === 'string'
        ? 'must not be empty'
        : issue.origin === 'array'
          ? `must list at least ${issue.minimum}`
          : issue.inclusive === false
            ? `must be a number above ${issue.minimum}${got}`
            : `must be ${numberWords(issue.path)}${got}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}${got}`;
    case 'invalid_format':
      if (issue.format === 'url') return `must be an http:// or https:// address, e.g. https://news.example.org${got}`;
      // A pattern says what it wants in its own message ("must be a postgres:// URL…"); zod's default names only the check.
      return `${issue.message.startsWith('Invalid') ? `must be a ${issue.format}` : issue.message}${got}`;
    case 'invalid_union':
      return `has a value of the wrong kind${got}; see paperboy.config.example.json`;
    case 'custom':
      return `${issue.message}${got}`;
    default:
      return `${issue.message.replace(/^Invalid input: /, '')}${got}`;
  }
}

/** Where the key at `path` came from, or the nearest key holding it (an entry of a list, a key left out of an object). */
function originNear(origins: Map<string, string>, path: readonly PropertyKey[]): string | undefined {
  for (let length = path.length; length > 0; length--) {
    const origin = origins.get(path.slice(0, length).join('.'));
    if (origin) return origin;
  }
  return undefined;
}

function describeIssue(issue: z.core.$ZodIssue, origins: Map<string, string>): string {
  const path = issue.path.join('.');
  if (issue.code === 'unrecognized_keys') {
    const key = path ? `${path}.${issue.keys[0]}` : issue.keys[0]!;
    return `Unknown config key "${key}" in ${originNear(origins, [...issue.path, issue.keys[0]!]) ?? 'the config'}; check its spelling against paperboy.config.example.json.`;
  }
  const origin = originNear(origins, issue.path);
  return `Config key "${path}" (from ${origin ?? 'the defaults'}) ${expectation(issue)}.`;
}

/** Where each loaded config's keys came from, so a later check (a cron expression) can say. */
const loadedOrigins = new WeakMap<object, Map<string, string>>();
/** The config file each loaded config was read from, when there was one. */
const configFiles = new WeakMap<object, string>();

/** Where the value at `path` of a loaded config came from: a file, a PAPERBOY_* variable, the command line or the defaults. */
export function originOf(config: object, path: string): string {
  return loadedOrigins.get(config)?.get(path) ?? 'the defaults';
}

/** Keys whose relative paths in a config file are read from the file's folder, not from wherever paperboy runs. */
const pathKeys: readonly { path: string; prefix?: string }[] = [
  { path: 'dataDir' },
  { path: 'previewDir' },
  { path: 'templates' },
  { path: 'source', prefix: 'file:' },
  { path: 'transport', prefix: 'outbox:' },
  { path: 'delivery.dkim.privateKeyFile' },
];

/** The config's relative paths from `file` (or defaulted with it) resolved against the file's folder. */
function anchorPaths(config: Record<string, unknown>, origins: Map<string, string>, file: string): void {
  const base = dirname(file);
  for (const { path, prefix = '' } of pathKeys) {
    const keys = path.split('.');
    const parent = keys.slice(0, -1).reduce<Record<string, unknown> | undefined>((node, key) => node?.[key] as Record<string, unknown> | undefined, config);
    const key = keys.at(-1)!;
    const value = parent?.[key];
    const origin = origins.get(path);
    if (typeof value !== 'string' || !value.startsWith(prefix) || (origin !== undefined && origin !== file)) continue;
    const rest = value.slice(prefix.length);
    if (rest === '' || isAbsolute(rest)) continue;
    parent![key] = prefix + resolve(base, rest);
  }
}

/**
 * The data directory, when the command is about to use it. Without a config file, --data-dir or
 * PAPERBOY_DATA_DIR it is ./subscribers of the folder paperboy runs in: that folder must hold
 * one (a clone does), or paperboy would make a new, empty store wherever a cron job happened to
 * start it, send nobody anything and say it succeeded.
 */
export function dataDirectory(config: Readonly<Config>, cwd = process.cwd()): string {
  if (!configFiles.has(config) && originOf(config, 'dataDir') === 'the defaults' && !existsSync(resolve(cwd, config.dataDir))) {
    throw new PaperboyError(
      'CONFIG',
      `There is no paperboy data directory here: ${resolve(cwd, config.dataDir)} does not exist. Run paperboy in its folder, or name the store with --data-dir DIR, PAPERBOY_DATA_DIR or a config file (--config FILE).`,
    );
  }
  return config.dataDir;
}

/**
 * Defaults < config file < PAPERBOY_* environment < flags, validated once and frozen. Relative
 * paths in a config file (and the default data directory, with one) are the file's folder's, so
 * `paperboy --config /srv/paperboy/paperboy.config.json` finds the same store from anywhere.
 */
export function loadConfig(options: LoadOptions = {}): Readonly<Config> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.configPath ?? env.PAPERBOY_CONFIG;
  const configFile = explicit ? resolve(cwd, explicit) : resolve(cwd, defaultConfigFile);
  if (explicit && !existsSync(configFile)) {
    throw new PaperboyError('CONFIG', `Config file ${configFile} does not exist; check --config or PAPERBOY_CONFIG.`);
  }
  const layers: Layer[] = [];
  if (existsSync(configFile)) layers.push(fileLayer(configFile));
  layers.push(environmentLayer(env));
  layers.push(flagLayer(options.flags ?? {}));

  const merged: Record<string, unknown> = {};
  const origins = new Map<string, string>();
  for (const layer of layers) {
    mergeInto(merged, layer.values);
    for (const [path, origin] of layer.origins) origins.set(path, origin);
  }
  const parsed = configSchema.safeParse(merged, { reportInput: true });
  if (!parsed.success) throw new PaperboyError('CONFIG', describeIssue(parsed.error.issues[0]!, origins));
  if (existsSync(configFile)) anchorPaths(parsed.data as unknown as Record<string, unknown>, origins, configFile);
  checkRelays(parsed.data, (path) => origins.get(path) ?? 'the defaults');
  const config = deepFreeze(parsed.data);
  loadedOrigins.set(config, origins);
  if (existsSync(configFile)) configFiles.set(config, configFile);
  return config;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
