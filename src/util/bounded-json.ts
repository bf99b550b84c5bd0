import { clip } from './clip.js';

/**
 * How deep gauntlet renders or keeps a JSON value that came from the target. JSON.parse takes a 100 000-deep
 * document in its stride, but JSON.stringify and every other recursion over it run out of stack: past this depth
 * a value is elided (`{…}`, `[…]`) when shown, and refused when captured.
 */
export const MAX_JSON_DEPTH = 64;

/** How much of a non-string value's JSON text a pattern (`matches`, a whoami name) is tried on. */
export const MATCHED_TEXT_CHARS = 1 << 20;

/**
 * The JSON text of `value`, at most `maxChars` characters (cut with `…`) and `maxDepth` levels deep (deeper
 * objects and arrays written `{…}` and `[…]`). Within both bounds it is exactly JSON.stringify's text. It stops
 * writing once the text is long enough, so a wide value costs no more than the characters it shows.
 */
export function boundedJson(value: unknown, maxChars: number, maxDepth = MAX_JSON_DEPTH): string {
  const out = new BoundedText(maxChars);
  write(value, 0, maxDepth, out);
  return out.text();
}

/** Whether `value` has objects or arrays nested more than `limit` levels deep; it never recurses past `limit`. */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (limit <= 0) return true;
  for (const item of Array.isArray(value) ? value : Object.values(value)) {
    if (nestedDeeperThan(item, limit - 1)) return true;
  }
  return false;
}

class BoundedText {
  private readonly parts: string[] = [];
  private length = 0;

  constructor(private readonly maxChars: number) {}

  get full(): boolean {
    return this.length > this.maxChars;
  }

  write(text: string): void {
    if (this.full) return;
    this.parts.push(text);
    this.length += text.length;
  }

  text(): string {
    return clip(this.parts.join(''), this.maxChars);
  }
}

function write(value: unknown, depth: number, maxDepth: number, out: BoundedText): void {
  if (value === null || typeof value !== 'object') {
    // What JSON.stringify writes for a value it cannot represent in an array.
    out.write(JSON.stringify(value) ?? 'null');
    return;
  }
  const isArray = Array.isArray(value);
  if (depth >= maxDepth) {
    out.write(isArray ? '[…]' : '{…}');
    return;
  }
  if (isArray) {
    out.write('[');
    for (let i = 0; i < value.length && !out.full; i++) {
      if (i > 0) out.write(',');
      write(value[i], depth + 1, maxDepth, out);
    }
    out.write(']');
    return;
  }
  out.write('{');
  let first = true;
  for (const [key, item] of Object.entries(value)) {
    if (out.full) break;
    if (item === undefined || typeof item === 'function') continue;
    out.write(`${first ? '' : ','}${JSON.stringify(key)}:`);
    first = false;
    write(item, depth + 1, maxDepth, out);
  }
  out.write('}');
}
