import { describe, expect, it } from 'vitest';
import { checkEmail, checkName, parseTopics } from '../../src/subscribers/address.js';

const reasonOf = (raw: string) => {
  const result = checkEmail(raw);
  return result.ok ? `accepted as ${result.value}` : result.reason;
};

describe('checkEmail', () => {
  it('accepts good addresses, lower-casing the domain and keeping the local part as typed', () => {
    expect(checkEmail('Ada.Lovelace@Example.COM')).toEqual({ ok: true, value: 'Ada.Lovelace@example.com' });
    expect(checkEmail('  bob+news@mail.example.org  ')).toEqual({ ok: true, value: 'bob+news@mail.example.org' });
    expect(checkEmail("o'hara_99@sub-domain.example.io")).toEqual({ ok: true, value: "o'hara_99@sub-domain.example.io" });
  });

  it('encodes an internationalized domain as punycode', () => {
    expect(checkEmail('x@Bücher.DE')).toEqual({ ok: true, value: 'x@xn--bcher-kva.de' });
    expect(checkEmail('Zoë@bücher.de')).toEqual({ ok: true, value: 'Zoë@xn--bcher-kva.de' });
  });

  it('gives a specific reason for each refusal', () => {
    expect(reasonOf('ada.example.com')).toBe('missing @');
    expect(reasonOf('ada@')).toBe('missing domain');
    expect(reasonOf('@example.com')).toBe('missing the part before @');
    expect(reasonOf('ada@localhost')).toBe('domain has no dot');
    expect(reasonOf('')).toBe('address is empty');
    expect(reasonOf('ada lovelace@example.com')).toBe('address contains a space');
  });

  it('refuses line breaks (CR, LF, CRLF) and control characters', () => {
    expect(reasonOf('a\rb@example.com')).toBe('address contains a line break');
    expect(reasonOf('a\nb@example.com')).toBe('address contains a line break');
    expect(reasonOf('a\r\nb@example.com')).toBe('address contains a line break');
    expect(reasonOf('ada@example.com\n')).toBe('address contains a line break');
    expect(reasonOf('a\u0007b@example.com')).toBe('address contains a control character');
    expect(reasonOf('a\u0000b@example.com')).toBe('address contains a control character');
  });

  it('refuses spellings that normalization or case-folding turn into another address', () => {
    // The Kelvin sign K (U+212A) lower-cases to an ASCII "k": it would take kelvin@'s identity.
    expect(reasonOf('\u212aelvin@example.org')).toBe('address contains "\u212a", which stands for an ASCII letter; type it in plain letters');
    expect(reasonOf('\u017fam@example.org')).toMatch(/stands for an ASCII letter/); // ſ, the long s
    expect(reasonOf('\uff41da@example.org')).toMatch(/stands for an ASCII letter/); // fullwidth a
    expect(reasonOf('ada@ex\uff41mple.org')).toMatch(/stands for an ASCII letter/);
    expect(reasonOf('\uff76\uff85@example.jp')).toMatch(/look-alike characters/); // halfwidth katakana
    // A decomposed ë is the same text as the composed one, not a look-alike.
    expect(checkEmail('Zoe\u0308@example.org')).toEqual({ ok: true, value: 'Zo\u00eb@example.org' });
    expect(checkEmail('Łukasz@example.pl')).toEqual({ ok: true, value: 'Łukasz@example.pl' });
  });

  it('refuses addresses that are too long', () => {
    const long = `${'a'.repeat(60)}@${'b'.repeat(235)}.com`;
    expect(long).toHaveLength(300);
    expect(reasonOf(long)).toBe('address is longer than 254 characters');
    expect(reasonOf(`${'a'.repeat(65)}@example.com`)).toBe('the part before @ is longer than 64 characters');
    expect(reasonOf(`${'a'.repeat(64)}@example.com`)).toBe(`accepted as ${'a'.repeat(64)}@example.com`);
  });

  it('refuses misplaced dots in the part before @', () => {
    for (const address of ['.ada@example.com', 'ada.@example.com', 'a..da@example.com']) {
      expect(reasonOf(address)).toBe('the part before @ has a misplaced dot');
    }
  });
});

describe('checkName', () => {
  it('accepts unicode names, trimmed', () => {
    expect(checkName('  Zoë Ångström 李雷 ')).toEqual({ ok: true, value: 'Zoë Ångström 李雷' });
    expect(checkName(undefined)).toEqual({ ok: true, value: '' });
  });

  it('refuses line breaks and control characters', () => {
    expect(checkName('Ada\nBcc: victim@example.com')).toEqual({ ok: false, reason: 'name contains a line break' });
    expect(checkName('Ada\r\nLovelace')).toEqual({ ok: false, reason: 'name contains a line break' });
    expect(checkName('Ada\u0007')).toEqual({ ok: false, reason: 'name contains a control character' });
  });
});

describe('parseTopics', () => {
  it('splits on , ; and |, lower-cases, removes duplicates and sorts', () => {
    expect(parseTopics('NLP; vision, Robotics | nlp ,, ;VISION')).toEqual(['nlp', 'robotics', 'vision']);
  });

  it('gives no topics for an empty or missing cell', () => {
    expect(parseTopics('')).toEqual([]);
    expect(parseTopics(undefined)).toEqual([]);
    expect(parseTopics(' ; , | ')).toEqual([]);
  });
});
