import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PaperboyError } from '../../src/errors.js';
import { loadSecret, secretFileName, TokenSigner } from '../../src/subscribers/index.js';
import { tempDir } from '../helpers/files.js';

const tmp = tempDir('paperboy-tokens-');
afterAll(() => tmp.remove());

const signer = new TokenSigner('a-test-secret-of-32-characters!!');
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('TokenSigner', () => {
  it('verifies its own token and returns the subscriber id', () => {
    for (const subscriberId of [1, 42, 123_456_789]) {
      const token = signer.sign({ subscriberId, purpose: 'unsubscribe' });
      expect(token).toMatch(/^[A-Za-z0-9._-]+$/);
      expect(signer.verify(token, 'unsubscribe')).toEqual({ subscriberId, expired: false });
    }
  });

  it('a token for one purpose does not verify for another', () => {
    const token = signer.sign({ subscriberId: 7, purpose: 'unsubscribe' });
    expect(signer.verify(token, 'confirm')).toBeUndefined();
    expect(signer.verify(token, 'preferences')).toBeUndefined();
    const confirm = signer.sign({ subscriberId: 7, purpose: 'confirm' });
    expect(confirm).not.toBe(token);
    expect(signer.verify(confirm, 'confirm')).toEqual({ subscriberId: 7, expired: false });
  });

  it('changing any single character makes the token invalid', () => {
    const token = signer.sign({ subscriberId: 4242, purpose: 'preferences', expiresAt: nowSeconds() + 3600 });
    expect(signer.verify(token, 'preferences')).toBeDefined();
    for (let position = 0; position < token.length; position++) {
      for (const replacement of ['0', 'z', 'A', '_', '.']) {
        if (token[position] === replacement) continue;
        const tampered = token.slice(0, position) + replacement + token.slice(position + 1);
        expect(signer.verify(tampered, 'preferences'), `${tampered} (position ${position})`).toBeUndefined();
      }
    }
  });

  it('a token signed with another secret fails', () => {
    const other = new TokenSigner('another-secret-of-32-characters!');
    expect(other.verify(signer.sign({ subscriberId: 5, purpose: 'unsubscribe' }), 'unsubscribe')).toBeUndefined();
  });

  it('reports expiry against the given time', () => {
    const pastAt = nowSeconds() - 60;
    const past = signer.sign({ subscriberId: 9, purpose: 'confirm', expiresAt: pastAt });
    expect(signer.verify(past, 'confirm')).toEqual({ subscriberId: 9, expired: true, expiresAt: pastAt });
    const futureAt = nowSeconds() + 60;
    const future = signer.sign({ subscriberId: 9, purpose: 'confirm', expiresAt: futureAt });
    expect(signer.verify(future, 'confirm')).toEqual({ subscriberId: 9, expired: false, expiresAt: futureAt });
    expect(signer.verify(future, 'confirm', new Date(Date.now() + 120_000))).toEqual({ subscriberId: 9, expired: true, expiresAt: futureAt });
  });

  it('refuses garbage', () => {
    for (const garbage of [
      '',
      'abc',
      '...',
      '1.0.',
      '1.0.short',
      'Z.0.AAAAAAAAAAAAAAAAAAAAAAAA',
      `1.0.${'A'.repeat(24)}`,
      `1.0.${'!'.repeat(24)}`,
      'x'.repeat(500),
    ]) {
      expect(signer.verify(garbage, 'unsubscribe'), garbage).toBeUndefined();
    }
  });

  it('refuses a secret shorter than 16 characters', () => {
    expect(() => new TokenSigner('too-short')).toThrow(PaperboyError);
    expect(() => new TokenSigner('fifteen-chars!!')).toThrow(/at least 16 characters/);
    expect(() => new TokenSigner('sixteen-chars!!!')).not.toThrow();
  });
});

describe('loadSecret', () => {
  it('uses PAPERBOY_SECRET from the environment and writes nothing', () => {
    const dir = join(tmp.path, 'from-env');
    expect(loadSecret(dir, { PAPERBOY_SECRET: 'environment-secret-123' })).toBe('environment-secret-123');
    expect(existsSync(join(dir, secretFileName))).toBe(false);
  });

  it('otherwise creates a 0600 secret file once and keeps returning it', () => {
    const dir = join(tmp.path, 'generated');
    const secret = loadSecret(dir, {});
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const file = join(dir, secretFileName);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(secret);
    expect(loadSecret(dir, {})).toBe(secret);
    expect(loadSecret(join(tmp.path, 'another'), {})).not.toBe(secret);
    const token = new TokenSigner(secret).sign({ subscriberId: 3, purpose: 'unsubscribe' });
    expect(new TokenSigner(loadSecret(dir, {})).verify(token, 'unsubscribe')).toEqual({ subscriberId: 3, expired: false });
  });
});

describe('token spelling', () => {
  it('has one spelling per token: a leading zero on the id does not verify', () => {
    const signer = new TokenSigner('a-secret-of-more-than-16-chars');
    const token = signer.sign({ subscriberId: 42, purpose: 'unsubscribe' });
    expect(signer.verify(token, 'unsubscribe')?.subscriberId).toBe(42);
    expect(signer.verify(`0${token}`, 'unsubscribe')).toBeUndefined();
  });

  it('has one spelling per token: a character appended to the signature does not verify', () => {
    const signer = new TokenSigner('a-secret-of-more-than-16-chars');
    for (const purpose of ['unsubscribe', 'confirm'] as const) {
      const token = signer.sign({ subscriberId: 42, purpose, ...(purpose === 'confirm' ? { expiresAt: nowSeconds() + 600 } : {}) });
      expect(signer.verify(token, purpose)?.subscriberId).toBe(42);
      // base64url drops the last 6 bits of a 25th character: every one of these decoded to the same MAC before.
      for (const extra of ['A', 'Q', 'g', 'w', '_', '-']) expect(signer.verify(`${token}${extra}`, purpose), extra).toBeUndefined();
      expect(signer.verify(token.replace(/\.([0-9a-z]+)\./, '.0$1.'), purpose)).toBeUndefined();
    }
  });
});
