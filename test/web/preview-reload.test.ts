import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot, tempDir } from '../helpers/files.js';
import { openWeb, worldDir } from '../helpers/web.js';

const dir = tempDir('paperboy-preview-reload-');
afterAll(dir.remove);

describe('the dev preview', () => {
  it('tells the page to reload when a template file changes, and serves the changed digest', async () => {
    const templates = join(dir.path, 'templates');
    cpSync(join(projectRoot, 'templates'), templates, { recursive: true });
    const web = await openWeb(worldDir(dir.path, 'world'), { templates }, { dev: true });
    const address = await web.app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const before = await (await fetch(`${address}/preview/digest`)).text();
      expect(before).not.toContain('Fresh from the editor');

      const events = await fetch(`${address}/preview/events`);
      const reader = events.body!.getReader();
      await reader.read(); // the ": connected" comment
      const header = join(templates, 'partials', 'header.mjml');
      const original = (await import('node:fs')).readFileSync(header, 'utf8');
      writeFileSync(header, original.replace('are today', 'are, Fresh from the editor, today'));

      let received = '';
      while (!received.includes('event: reload')) {
        const { value, done } = await reader.read();
        if (done) break;
        received += new TextDecoder().decode(value);
      }
      expect(received).toContain('event: reload');
      await reader.cancel();
      const after = await (await fetch(`${address}/preview/digest`)).text();
      expect(after).toContain('Fresh from the editor');
    } finally {
      await web.close();
    }
  });
});
