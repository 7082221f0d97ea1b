import { describe, expect, it } from 'vitest';
import { trimText } from '../../src/render/index.js';

describe('trimText', () => {
  it('keeps short text as it is', () => {
    expect(trimText('Short abstract.', 50)).toBe('Short abstract.');
  });

  it('cuts at a word boundary and adds an ellipsis', () => {
    const text = 'We propose a method that improves retrieval, and we show it works on many benchmarks.';
    const trimmed = trimText(text, 40);
    expect(trimmed).toBe('We propose a method that improves…');
    expect(trimmed.length).toBeLessThanOrEqual(41);
  });

  it('cuts inside a very long word rather than returning almost nothing', () => {
    expect(trimText('x'.repeat(100), 10)).toBe(`${'x'.repeat(10)}…`);
  });
});
