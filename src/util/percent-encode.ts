/** Half a UTF-16 surrogate pair, alone: it has no UTF-8 form. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * encodeURIComponent, except that a lone surrogate is written as U+FFFD (%EF%BF%BD), as URLs and UTF-8 write it,
 * where encodeURIComponent throws a URIError. Text a target sends (a key it issued, its id) may hold one.
 */
export function percentEncode(text: string): string {
  return encodeURIComponent(text.replace(LONE_SURROGATE, '\ufffd'));
}
