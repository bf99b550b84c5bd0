import { describe, expect, it } from 'vitest';
import { keepingPrefix, keepingScheme, malformedVariants, schemeLengthOf, unknownLike } from '../../src/checks/api-key/guesses.js';

const KEY = 'sk_live_Ab3-dE_fGh1JkLmNoPqRsTuVwXyZ0123456789abcdefghiJ';
const shape = (key: string) => key.replace(/[A-Z]/g, 'A').replace(/[a-z]/g, 'a').replace(/[0-9]/g, '0');

describe('guessed keys', () => {
  it('finds the scheme every key of a kind shares', () => {
    expect(schemeLengthOf(KEY)).toBe(8);
    expect(schemeLengthOf('gk_test_abc_Def')).toBe(12);
    expect(schemeLengthOf('ABCDEF')).toBe(0);
    expect(schemeLengthOf('gk_test_abc_Def', 10)).toBe(10);
  });

  it('keeps a prefix and randomises the rest within each character class', () => {
    for (let i = 0; i < 200; i++) {
      const guess = keepingPrefix(KEY, 16);
      expect(guess.slice(0, 16)).toBe(KEY.slice(0, 16));
      expect(guess).not.toBe(KEY);
      expect(shape(guess)).toBe(shape(KEY));
    }
  });

  it('keeps only the scheme, and always differs right after it', () => {
    for (let i = 0; i < 200; i++) {
      const guess = keepingScheme(KEY, 8);
      expect(guess.slice(0, 8)).toBe('sk_live_');
      expect(guess[8]).not.toBe(KEY[8]);
      expect(shape(guess)).toBe(shape(KEY));
    }
    expect(unknownLike(KEY).slice(0, 8)).toBe('sk_live_');
    expect(keepingScheme('pre_--x', 4)).toMatch(/^pre_--[a-z]$/);
    expect(keepingScheme('pre_--x', 4)).not.toBe('pre_--x');
  });

  it('offers the malformed variants the issue names', () => {
    const variants = malformedVariants();
    expect(variants.map((v) => v.name)).toEqual(['empty', '10 KB long', 'non-ASCII', 'quotes', 'SQL meta-characters', 'JSON meta-characters']);
    expect(variants[1]!.value).toHaveLength(10 * 1024);
    expect(/[^\x00-\x7f]/.test(variants[2]!.value)).toBe(true);
  });
});
