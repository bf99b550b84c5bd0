import type { SourceLocation } from '../results/model.js';
import { printable } from '../util/printable.js';

export interface Diagnostic extends SourceLocation {
  code: string;
  message: string;
  hint?: string;
  /** Context that is not a fix, e.g. how many follow-on errors were left out. */
  note?: string;
  /** The source line(s) with a caret under the column. */
  frame?: string;
}

/** The most source text a code frame shows of a line; a longer one is clipped around the column. */
export const FRAME_WIDTH = 100;

/**
 * Builds a two-line code frame: the line before (for context) and the line itself, with a caret. Control
 * characters are shown as \xNN (a NUL or an escape sequence from a file must not reach the terminal), and the
 * caret stays under the column they shift.
 */
export function codeFrame(text: string, line: number, col: number): string {
  const lines = text.split(/\r?\n/);
  const out: string[] = [];
  const width = String(line).length;
  const columns = Math.max(0, col - 1);
  const beforeCaret = printable((lines[line - 1] ?? '').slice(0, columns).padEnd(columns));
  const shownLength = Math.max(printable(lines[line - 1] ?? '').length, beforeCaret.length + 1);
  // A line that fits is shown whole; a longer one from half a frame before the caret, or its last frame's width.
  const start = Math.max(0, Math.min(beforeCaret.length - FRAME_WIDTH / 2, shownLength - FRAME_WIDTH));
  const clip = (shown: string) => `${start > 0 ? '…' : ''}${shown.slice(start, start + FRAME_WIDTH)}${shown.length > start + FRAME_WIDTH ? '…' : ''}`;
  for (let n = Math.max(1, line - 1); n <= line; n++) {
    const content = lines[n - 1];
    if (content === undefined) continue;
    out.push(`${n === line ? '>' : ' '} ${String(n).padStart(width)} | ${clip(printable(content))}`);
  }
  // Tabs are kept, so that the caret lines up under a tab-indented line.
  const pad = clip(beforeCaret).replace(/[^\t]/g, ' ');
  out.push(`  ${' '.repeat(width)} | ${pad}^`);
  return out.join('\n');
}

export function formatDiagnostic(d: Diagnostic): string {
  const parts = [`${d.file}:${d.line}:${d.col}: error[${d.code}]: ${d.message}`];
  if (d.frame) parts.push(d.frame);
  if (d.hint) parts.push(`  hint: ${d.hint}`);
  if (d.note) parts.push(`  note: ${d.note}`);
  // Messages quote the file (a kind, a field name): shown like the frame.
  return printable(parts.join('\n'));
}

/** A note (something skipped, and why): located like an error, but it does not fail the load. */
export function formatNote(d: Diagnostic): string {
  const parts = [`${d.file}:${d.line}:${d.col}: note[${d.code}]: ${d.message}`];
  if (d.hint) parts.push(`  hint: ${d.hint}`);
  return printable(parts.join('\n'));
}

export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);
}

/** Thrown when loading fails; carries every diagnostic found, so all are reported together. */
export class ScenarioError extends Error {
  readonly code = 'E_SCENARIO';
  constructor(readonly diagnostics: Diagnostic[]) {
    super(sortDiagnostics(diagnostics).map(formatDiagnostic).join('\n\n'));
    this.name = 'ScenarioError';
  }
}
