import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { projectRoot } from '../helpers/files.js';

/** Every `key` / `key` … | … | `default` / `default` row of the table in docs/configuration.md. */
function documentedDefaults(): Map<string, string> {
  const rows = new Map<string, string>();
  const text = readFileSync(join(projectRoot, 'docs', 'configuration.md'), 'utf8');
  for (const line of text.split('\n')) {
    const cells = line.split(' | ');
    if (!line.startsWith('| `') || cells.length < 4) continue;
    const names = [...cells[0]!.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
    const defaults = cells[2]!.split(' / ');
    const parent = names[0]!.includes('.') ? names[0]!.slice(0, names[0]!.lastIndexOf('.') + 1) : '';
    for (const [index, name] of names.entries()) rows.set(name.includes('.') ? name : `${parent}${name}`, defaults[index] ?? '');
  }
  return rows;
}

/** Every leaf of the defaults: "delivery.maxAttempts" → 100. */
function leaves(value: unknown, prefix = ''): [string, unknown][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [[prefix, value]];
  return Object.entries(value).flatMap(([key, inner]) => leaves(inner, prefix ? `${prefix}.${key}` : key));
}

describe('docs/configuration.md', () => {
  const documented = documentedDefaults();
  const defaults = leaves(configSchema.parse({}));

  it('documents every setting', () => {
    const missing = defaults.map(([key]) => key).filter((key) => ![...documented.keys()].some((name) => key === name || key.startsWith(`${name}.`)));
    expect(missing).toEqual([]);
  });

  it('gives the default the code has, wherever the table shows a plain value', () => {
    const wrong = defaults.flatMap(([key, value]) => {
      const cell = documented.get(key)?.trim();
      const plain = cell?.match(/^`([^`]*)`$/)?.[1];
      if (plain === undefined || plain.includes('…') || typeof value === 'object') return [];
      return String(value) === plain ? [] : [`${key}: docs say ${plain}, code says ${String(value)}`];
    });
    expect(wrong).toEqual([]);
  });
});
