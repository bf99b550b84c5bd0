import { randomInt } from 'node:crypto';

/**
 * Keys made up from a real one, for probing a target whose key format we do not know. Every position is
 * replaced by a random character of the same class (upper, lower, digit; other characters stay), so a guess
 * has the real key's length and look, and differs only where we want it to.
 */
const CLASSES = ['ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz', '0123456789'];

function sameClass(char: string): string {
  const alphabet = CLASSES.find((c) => c.includes(char));
  return alphabet ? alphabet[randomInt(alphabet.length)]! : char;
}

function differentSameClass(char: string): string {
  const others = CLASSES.find((c) => c.includes(char))?.replace(char, '');
  return others ? others[randomInt(others.length)]! : char;
}

const inAClass = (c: string) => CLASSES.some((alphabet) => alphabet.includes(c));

/** `sk_live_` of `sk_live_Ab12...`: the leading lowercase words ending with `_`, the part every key shares. */
export function schemeLengthOf(key: string, limit = key.length - 1): number {
  const match = /^(?:[a-z0-9]+_)+/.exec(key);
  return Math.min(match ? match[0].length : 0, limit);
}

/**
 * Keeps the first `keep` characters and randomises the rest (same classes), never returning `key` itself: the
 * last randomisable character is made to differ. With nothing after the prefix to randomise, the key is returned
 * unchanged (the caller keeps the prefix shorter than the key).
 */
export function keepingPrefix(key: string, keep: number): string {
  const rest = [...key.slice(keep)];
  let last = -1;
  rest.forEach((c, i) => {
    if (inAClass(c)) last = i;
  });
  return key.slice(0, keep) + rest.map((c, i) => (i === last ? differentSameClass(c) : sameClass(c))).join('');
}

/**
 * Keeps the scheme (`sk_live_`) and randomises the rest, changing the first character after it for sure,
 * so the guess shares the scheme but not the key's identifying prefix.
 */
export function keepingScheme(key: string, schemeLength: number): string {
  const rest = [...key.slice(schemeLength)];
  const first = rest.findIndex(inAClass);
  if (first < 0) return key;
  return key.slice(0, schemeLength) + rest.map((c, i) => (i < first ? c : i === first ? differentSameClass(c) : sameClass(c))).join('');
}

/** An unknown key shaped like `valid`: same scheme, everything after it random. */
export function unknownLike(valid: string): string {
  return keepingScheme(valid, schemeLengthOf(valid));
}

export interface MalformedVariant {
  name: string;
  value: string;
}

/** Values no key store should choke on. Non-ASCII goes as raw UTF-8 bytes, as a client would send it. */
export function malformedVariants(): MalformedVariant[] {
  const utf8 = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
  return [
    { name: 'empty', value: '' },
    { name: '10 KB long', value: 'k'.repeat(10 * 1024) },
    { name: 'non-ASCII', value: utf8('ключ-🔑-clé') },
    { name: 'quotes', value: `"'\`"'` },
    { name: 'SQL meta-characters', value: `' OR '1'='1' --; DROP TABLE api_keys;` },
    { name: 'JSON meta-characters', value: `{"$ne":null,"$gt":""}` },
  ];
}
