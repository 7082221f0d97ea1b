import { describe, expect, it } from 'vitest';
import { redactDatabaseUrl } from '../../src/db/index.js';

describe('redactDatabaseUrl', () => {
  it('never shows the password, whatever it holds', () => {
    expect(redactDatabaseUrl('postgres://paperboy:s3cret@db.example.org/paperboy')).toBe('postgres://paperboy:***@db.example.org/paperboy');
    for (const password of ['pa/ss', 'p@ss', 'pa:ss', 'a/b@c:d?e#f', '%zz']) {
      const shown = redactDatabaseUrl(`postgres://paperboy:${password}@db.example.org:5432/paperboy`);
      expect(shown).toBe('postgres://paperboy:***@db.example.org:5432/paperboy');
    }
  });

  it('leaves a URL without a password as it is', () => {
    expect(redactDatabaseUrl('postgres://paperboy@db.example.org/paperboy')).toBe('postgres://paperboy@db.example.org/paperboy');
    expect(redactDatabaseUrl('postgres://db.example.org/paperboy')).toBe('postgres://db.example.org/paperboy');
  });
});
