/** A URL without its credentials (redis://user:secret@host:6379 -> redis://host:6379), for anything shown or written. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1');
}

/** Command-line words with any URL credentials removed. */
export function redactArgs(args: string[]): string[] {
  return args.map((arg) => arg.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1'));
}
