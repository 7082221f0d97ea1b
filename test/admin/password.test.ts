import { describe, expect, it } from 'vitest';
import { defaultHashParameters, hashPassword, isPasswordHash, verifyPassword } from '../../src/admin/index.js';
import { loadConfig } from '../../src/config/index.js';
import { PaperboyError } from '../../src/errors.js';
import { cheapAdminHash } from '../helpers/admin.js';

const password = 'correct horse battery staple';

describe('the admin password hash', () => {
  it('is scrypt at N=2^17, r=8, p=1 by default, in one line that verifies the password and nothing else', async () => {
    expect(defaultHashParameters).toEqual({ ln: 17, r: 8, p: 1 });
    const line = await hashPassword(password);
    expect(line).toMatch(/^scrypt\$ln=17,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await verifyPassword(password, line)).toBe(true);
    expect(await verifyPassword(`${password} `, line)).toBe(false);
  });

  it('salts every hash: the same password twice gives two lines, each verifying it', async () => {
    const [one, two] = [await cheapAdminHash(password), await cheapAdminHash(password)];
    expect(one).not.toBe(two);
    expect(await verifyPassword(password, one)).toBe(true);
    expect(await verifyPassword(password, two)).toBe(true);
    expect(await verifyPassword('Correct horse battery staple', one)).toBe(false);
  });

  it('verifies a password typed in either Unicode form', async () => {
    const line = await cheapAdminHash('caf\u00e9 au lait, s’il vous plaît');
    expect(await verifyPassword('cafe\u0301 au lait, s’il vous plaît', line)).toBe(true);
  });

  it('takes only well-formed lines with sane costs; a malformed one verifies nothing', async () => {
    const good = await cheapAdminHash();
    expect(isPasswordHash(good)).toBe(true);
    for (const bad of [
      '',
      password,
      good.replace('scrypt', 'argon2id'),
      good.replace('ln=10', 'ln=9'), // too cheap
      good.replace('ln=10', 'ln=30'), // 128 GiB
      good.replace('r=8', 'r=99'),
      good.slice(0, -1),
      `${good}A`,
    ]) {
      expect(isPasswordHash(bad), bad).toBe(false);
      expect(await verifyPassword(password, bad)).toBe(false);
    }
  });
});

describe('the admin config', () => {
  const load = (env: Record<string, string>, flags: Record<string, unknown> = {}) => loadConfig({ env, flags: { dataDir: '/tmp/unused', ...flags } });
  const failure = (work: () => unknown): PaperboyError => {
    try {
      work();
    } catch (error) {
      return error as PaperboyError;
    }
    throw new Error('no error');
  };

  it('is off unless present; PAPERBOY_ADMIN_PASSWORD_HASH turns it on with the defaults', async () => {
    expect(load({}).admin).toBeUndefined();
    const hash = await cheapAdminHash();
    expect(load({ PAPERBOY_ADMIN_PASSWORD_HASH: hash }).admin).toEqual({
      account: 'admin',
      passwordHash: hash,
      idleMinutes: 30,
      sessionHours: 12,
      loginAttemptsPerMinute: 5,
    });
    expect(load({}, { 'admin.account': 'ops' }).admin).toMatchObject({ account: 'ops' }); // links only
  });

  it('refuses a malformed hash in one line that names the key and where it came from, and never shows the value', () => {
    const error = failure(() => load({ PAPERBOY_ADMIN_PASSWORD_HASH: password }));
    expect(error).toBeInstanceOf(PaperboyError);
    expect(error.message).toBe(
      'Config key "admin.passwordHash" (from PAPERBOY_ADMIN_PASSWORD_HASH) must be a line printed by paperboy admin hash-password (scrypt$ln=17,r=8,p=1$…$…).',
    );
    expect(error.message).not.toContain('horse');
    expect(error.exitCode).toBe(2);
  });
});
