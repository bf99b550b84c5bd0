import { describe, expect, it } from 'vitest';
import { codeFrame, formatDiagnostic, FRAME_WIDTH } from '../../src/scenario/diagnostics.js';

/** The column of the caret in a frame's last line, and the frame line it points into. */
function caretTarget(frame: string): string {
  const lines = frame.split('\n');
  const caretLine = lines.at(-1)!;
  const sourceLine = lines.at(-2)!;
  return sourceLine.slice(caretLine.indexOf('^'));
}

describe('code frames', () => {
  it('shows a NUL and an escape sequence as \\xNN, with the caret still under the column', () => {
    const frame = codeFrame('name: n\nkind: h\u0000t\u001b[2Jtp, sev: x\n', 2, 18);
    expect(frame).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(frame).toContain('> 2 | kind: h\\x00t\\x1b[2Jtp, sev: x');
    expect(caretTarget(frame)).toBe('sev: x');
  });

  it('keeps a tab before the column, so the caret lines up under a tab-indented line', () => {
    const frame = codeFrame('a:\n\t\tb: c\n', 2, 6);
    expect(frame.split('\n').at(-1)).toBe('    | \t\t   ^');
    expect(caretTarget(frame)).toBe('c');
  });

  it('clips a long line around the column: an 877-column line of spaces is not printed whole', () => {
    const text = `${' '.repeat(876)}k: v\n${' '.repeat(877)}x\n`;
    const frame = codeFrame(text, 2, 878);
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(FRAME_WIDTH + 10);
    expect(caretTarget(frame)).toBe('x');
    expect(frame).toContain('…');
    const tail = codeFrame(`${'a'.repeat(300)} b`, 1, 302);
    expect(tail.split('\n')[0]).toBe(`> 1 | …${'a'.repeat(FRAME_WIDTH - 2)} b`);
    expect(caretTarget(tail)).toBe('b');
  });

  it('clips the end of a long line, and leaves lines that fit whole, wherever the caret is', () => {
    const long = `key: ${'v'.repeat(500)}`;
    expect(codeFrame(long, 1, 1).split('\n')[0]).toBe(`> 1 | ${long.slice(0, FRAME_WIDTH)}…`);
    expect(codeFrame('a: 1\nb: 2\n', 2, 4)).toBe('  1 | a: 1\n> 2 | b: 2\n    |    ^');
    const fits = `${'x'.repeat(FRAME_WIDTH - 10)}: 1`;
    expect(codeFrame(fits, 1, FRAME_WIDTH - 10).split('\n')[0]).toBe(`> 1 | ${fits}`);
  });

  it('a message quoting the file is shown the same way', () => {
    const shown = formatDiagnostic({ file: 's.yaml', line: 1, col: 1, code: 'E_UNKNOWN_KIND', message: "unknown check kind 'h\u001b]0;pwned\u0007'" });
    expect(shown).toBe("s.yaml:1:1: error[E_UNKNOWN_KIND]: unknown check kind 'h\\x1b]0;pwned\\x07'");
  });
});
