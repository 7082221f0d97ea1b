import { describe, expect, it } from 'vitest';
import { parseBounce } from '../../src/bounces/index.js';

describe('parseBounce on what is hardly mail', () => {
  it('reads empty, binary or header-only input as not a bounce', async () => {
    for (const raw of ['', 'garbage', Buffer.from([0, 1, 2, 255, 254, 10, 10, 0]), 'Subject: x\n', 'Content-Type: multipart/report; boundary="B"\n\n--B\n']) {
      expect((await parseBounce(raw)).kind).toBe('not-bounce');
    }
  });

  it('refuses what the MIME parser will not read (a 3 MB header) with a one-line input error', async () => {
    await expect(parseBounce(`X-Huge: ${'a'.repeat(3_000_000)}\n\nbody`)).rejects.toMatchObject({
      name: 'PaperboyError',
      code: 'INPUT',
      message: expect.stringMatching(/^Cannot read this message as mail: /),
    });
  });
});
