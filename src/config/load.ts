import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { z } from 'zod';
import { PaperboyError, messageOf } from '../errors.js';
import { environmentLayer, setPath, type Layer } from './env.js';
import { configSchema, type Config } from './schema.js';

export const defaultConfigFile = 'paperboy.config.json';

export interface LoadOptions {
  /** An explicit --config path (must exist); otherwise PAPERBOY_CONFIG, then ./paperboy.config.json if present. */
  configPath?: string;
  env?: NodeJS.ProcessEnv;
  /** Command-line flags as key paths, e.g. { 'selection.top': 5 }. Undefined values are ignored. */
  flags?: Record<string, unknown>;
  cwd?: string;
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

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
    throw new PaperboyError('CONFIG', `${path} line ${lineOf(text, first.offset)}: ${printParseErrorCode(first.error)}; fix the JSON.`);
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

function describeIssue(issue: z.core.$ZodIssue, origins: Map<string, string>): string {
  const path = issue.path.join('.');
  if (issue.code === 'unrecognized_keys') {
    const key = path ? `${path}.${issue.keys[0]}` : issue.keys[0]!;
    return `Unknown config key "${key}" in ${origins.get(key) ?? 'the config'}; check its spelling against paperboy.config.example.json.`;
  }
  return `Config key "${path}" (from ${origins.get(path) ?? 'the defaults'}) ${issue.message.replace(/^Invalid input: /, '')}.`;
}

/** Defaults < config file < PAPERBOY_* environment < flags, validated once and frozen. */
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
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) throw new PaperboyError('CONFIG', describeIssue(parsed.error.issues[0]!, origins));
  return deepFreeze(parsed.data);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
