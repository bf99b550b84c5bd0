import type { Node } from 'yaml';

/** Shorter values are not masked wherever they appear: a message would lose every "1" for a secret "1". */
const MIN_MASKED_VALUE = 4;

/**
 * The secrets a file holds, hidden in everything printed about it: each character shown as `*`, so the columns
 * of a code frame stay where they are. Masked are the secrets' own text in the file, and their values wherever
 * else they appear (repeated in a comment, quoted by a message).
 */
export class SecretMask {
  private readonly ranges: [number, number][] = [];
  private readonly values = new Set<string>();

  add(node: Node, value: unknown): void {
    const [start, end] = node.range ?? [0, 0];
    this.ranges.push([start, end]);
    const forms = typeof value === 'string' ? [value, JSON.stringify(value).slice(1, -1)] : [String(value)];
    for (const form of forms) if (form.length >= MIN_MASKED_VALUE) this.values.add(form);
  }

  /** The whole file's text, masked. */
  file(text: string): string {
    let masked = text;
    for (const [start, end] of this.ranges) masked = masked.slice(0, start) + stars(masked.slice(start, end)) + masked.slice(end);
    return this.text(masked);
  }

  /** Any text about the file (a message, a hint), masked. */
  text(text: string): string {
    let masked = text;
    for (const value of this.values) masked = masked.split(value).join(stars(value));
    return masked;
  }
}

function stars(text: string): string {
  return text.replace(/[^\r\n]/g, '*');
}
