import { describe, expect, it } from 'vitest';
import { clip, decodePrefix } from '../../src/util/clip.js';

describe('clip', () => {
  it('keeps short text, and cuts long text at max characters with the suffix', () => {
    expect(clip('short', 10)).toBe('short');
    expect(clip('a'.repeat(20), 10)).toBe(`${'a'.repeat(10)}…`);
    expect(clip('a'.repeat(20), 10, '')).toBe('a'.repeat(10));
  });
});

describe('decodePrefix', () => {
  it('decodes a short body whole, uncut', () => {
    expect(decodePrefix(Buffer.from('{"ok":true}'), 100)).toEqual({ text: '{"ok":true}', cut: false });
  });

  it('cuts at max characters, multi-byte characters counted as characters', () => {
    const body = Buffer.from('é'.repeat(50), 'utf8');
    expect(decodePrefix(body, 10)).toEqual({ text: 'é'.repeat(10), cut: true });
    expect(decodePrefix(body, 50)).toEqual({ text: 'é'.repeat(50), cut: false });
  });

  it('reports a cut for a body far larger than it decodes', () => {
    const { text, cut } = decodePrefix(Buffer.alloc(1 << 20, 97), 8);
    expect(text).toBe('aaaaaaaa');
    expect(cut).toBe(true);
  });
});
