/** A piece of a shell word: text taken literally, or shell syntax left to expand (`$GAUNTLET_KEY_ADMIN`). */
export type Segment = { text: string } | { shell: string };

const BARE = /^[A-Za-z0-9_\-.,:/@%+=]+$/;

/**
 * One shell word that stands for the segments: the literal text can never expand or end the word, whatever it
 * holds (quotes, `$`, backticks, newlines), and the shell parts expand. Literal text goes in single quotes; a word
 * with expansions goes in double quotes with `\`, `"`, `$` and backtick escaped, or, where history expansion
 * could bite (`!` in an interactive shell), single-quoted pieces beside double-quoted expansions.
 */
export function shellWord(segments: Segment[]): string {
  const literal = segments.every((s) => 'text' in s);
  if (literal) {
    const text = segments.map((s) => ('text' in s ? s.text : '')).join('');
    return BARE.test(text) ? text : singleQuoted(text);
  }
  if (segments.some((s) => 'text' in s && s.text.includes('!'))) {
    return segments.map((s) => ('text' in s ? (s.text ? singleQuoted(s.text) : '') : `"${s.shell}"`)).join('');
  }
  return `"${segments.map((s) => ('text' in s ? s.text.replace(/[\\"$`]/g, '\\$&') : s.shell)).join('')}"`;
}

function singleQuoted(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Text for a `#` comment: one line, whatever it held. */
export function commentText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
}
