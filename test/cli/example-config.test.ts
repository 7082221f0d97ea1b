import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { projectRoot } from '../helpers/cli.js';

describe('paperboy.config.example.json', () => {
  it('is a valid config whose values are the ones it documents', () => {
    const config = loadConfig({ configPath: join(projectRoot, 'paperboy.config.example.json'), env: {}, cwd: projectRoot });
    expect(config.source).toBe('hf');
    expect(config.timezone).toBe('Europe/Berlin');
    expect(config.selection.top).toBe(10);
    expect(config.hf.pageSize).toBe(100);
  });
});
