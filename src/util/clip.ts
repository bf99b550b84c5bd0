/**
 * The first `max` characters of `text` (with `suffix` when cut), as a string of its own. A plain `slice` of a
 * large string is a view that keeps the whole original alive: kept in a result, a 160-character excerpt of a 1 MiB
 * body would hold the megabyte until the run ends.
 */
export function clip(text: string, max: number, suffix = '…'): string {
  if (text.length <= max) return text.length > 64 ? detach(text) : text;
  return detach(text.slice(0, max)) + suffix;
}

/** A flat copy that shares no storage with the string it came from. */
export function detach(text: string): string {
  return Buffer.from(text, 'utf16le').toString('utf16le');
}

/** The text of the first `maxChars` characters of a UTF-8 body, decoding no more than those can take. */
export function decodePrefix(body: Buffer, maxChars: number): { text: string; cut: boolean } {
  const head = body.subarray(0, maxChars * 4).toString('utf8');
  const cut = head.length > maxChars || body.length > maxChars * 4;
  return { text: cut ? detach(head.slice(0, maxChars)) : head, cut };
}
