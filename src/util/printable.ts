/** C0 controls except tab and newline, DEL and C1 controls: what a terminal may act on instead of showing. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Text from a target, made safe to print to a terminal: control characters (an escape sequence can clear the
 * screen, fake a PASS line or retitle the window) are shown as \xNN instead.
 */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
