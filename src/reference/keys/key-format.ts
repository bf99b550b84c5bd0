import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * API keys look like `gk_live_<43 chars of base64url: 32 random bytes><6 chars of base62: CRC32>`.
 * The labels say what a key is to a person and to a secret scanner; the checksum lets the server refuse a
 * mistyped or made-up key without touching the database. The checksum is not a secret and proves nothing about
 * who made the key: only the stored hash does.
 */
export interface KeyScheme {
  /** What issued the key, e.g. `gk`. */
  prefix: string;
  /** Where it is valid, e.g. `live` or `test`. */
  environment: string;
}

export const DEFAULT_SCHEME: KeyScheme = { prefix: 'gk', environment: 'live' };

const LABEL = /^[a-z][a-z0-9]{0,11}$/;
const RANDOM_BYTES = 32;
const RANDOM_CHARS = 43;
const CHECKSUM_CHARS = 6;
/** How many characters of the random part the display prefix keeps (48 of 256 bits: identifies, reveals little). */
const DISPLAY_RANDOM_CHARS = 8;
const KEY_SHAPE = new RegExp(`^([a-z][a-z0-9]{0,11})_([a-z][a-z0-9]{0,11})_([A-Za-z0-9_-]{${RANDOM_CHARS}})([A-Za-z0-9]{${CHECKSUM_CHARS}})$`);
export const MAX_KEY_LENGTH = 12 + 1 + 12 + 1 + RANDOM_CHARS + CHECKSUM_CHARS;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export type KeyShapeProblem = 'empty' | 'too-long' | 'not-ascii' | 'bad-shape' | 'bad-checksum';

export interface ParsedKey {
  scheme: KeyScheme;
  /** The non-secret start of the key, shown in listings: `gk_live_AbCdEfGh`. */
  displayPrefix: string;
}

export type ParseResult = { ok: true; key: ParsedKey } | { ok: false; problem: KeyShapeProblem };

export function assertScheme(scheme: KeyScheme): void {
  for (const [what, label] of [['prefix', scheme.prefix], ['environment', scheme.environment]] as const) {
    if (!LABEL.test(label)) throw new Error(`key ${what} '${label}' must be 1-12 lowercase letters or digits, starting with a letter`);
  }
}

/** A new key. `random` is injectable so tests can make known keys. */
export function mintKey(scheme: KeyScheme = DEFAULT_SCHEME, random: (size: number) => Buffer = randomBytes): string {
  assertScheme(scheme);
  const body = `${scheme.prefix}_${scheme.environment}_${random(RANDOM_BYTES).toString('base64url')}`;
  return body + checksum(body);
}

/** Six base62 characters of the body's CRC32 (62^6 > 2^32, so every CRC has a distinct code). */
export function checksum(body: string): string {
  let value = crc32(body);
  let out = '';
  for (let i = 0; i < CHECKSUM_CHARS; i++) {
    out = BASE62[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}

/** Shape and checksum only: cheap, no lookup, no secret involved. */
export function parseKey(text: string): ParseResult {
  if (text.length === 0) return { ok: false, problem: 'empty' };
  if (text.length > MAX_KEY_LENGTH) return { ok: false, problem: 'too-long' };
  if (!/^[\x21-\x7e]*$/.test(text)) return { ok: false, problem: 'not-ascii' };
  const match = KEY_SHAPE.exec(text);
  if (!match) return { ok: false, problem: 'bad-shape' };
  const [, prefix, environment, random, sum] = match;
  if (checksum(`${prefix}_${environment}_${random}`) !== sum) return { ok: false, problem: 'bad-checksum' };
  return { ok: true, key: { scheme: { prefix: prefix!, environment: environment! }, displayPrefix: displayPrefixOf(text)! } };
}

/** Shape only, no checksum: what a careless implementation checks before going to the database. */
export function hasKeyShape(text: string): boolean {
  return text.length <= MAX_KEY_LENGTH && KEY_SHAPE.test(text);
}

/** `gk_live_AbCdEfGh` for a well-shaped key, undefined otherwise. */
export function displayPrefixOf(text: string): string | undefined {
  const match = KEY_SHAPE.exec(text);
  if (!match) return undefined;
  return `${match[1]}_${match[2]}_${match[3]!.slice(0, DISPLAY_RANDOM_CHARS)}`;
}
