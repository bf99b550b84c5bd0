import type { CompiledPath } from '../../util/json-path.js';
import { jsonLines, selects } from './json-lines.js';

/** How much of a body shows before "show more": enough to recognise it, not a page of it. */
export const PREVIEW_LINES = 16;
export const PREVIEW_CHARS = 1500;
/** Lines shown around a highlighted field further down than the preview reaches. */
const CONTEXT_LINES = 2;

export interface BodyLine {
  text: string;
  mark: boolean;
}

export interface BodyView {
  preview: BodyLine[];
  /** The whole body kept as evidence (itself bounded by the evidence cap), when the preview is not all of it. */
  rest?: { lines: BodyLine[]; chars: number };
  marked: boolean;
}

/**
 * A body as the report shows it: JSON pretty-printed with the fields the failed assertions name marked, cut to a
 * preview, and the rest of what was kept behind a fold. A marked field below the preview is shown too, after a gap.
 */
export function bodyView(body: string, failingPaths: CompiledPath[]): BodyView {
  const lines = asLines(body, failingPaths);
  const preview: BodyLine[] = [];
  let chars = 0;
  for (const line of lines) {
    if (preview.length === PREVIEW_LINES || chars >= PREVIEW_CHARS) break;
    const room = PREVIEW_CHARS - chars;
    preview.push(line.text.length > room ? { ...line, text: `${line.text.slice(0, room)}…` } : line);
    chars += line.text.length + 1;
  }
  const whole = preview.length === lines.length && preview.at(-1)?.text === lines.at(-1)?.text;
  if (!whole) {
    const firstMark = lines.findIndex((l) => l.mark);
    if (firstMark >= preview.length) {
      preview.push({ text: '…', mark: false }, ...lines.slice(Math.max(preview.length, firstMark - CONTEXT_LINES), firstMark + CONTEXT_LINES + 1));
    }
  }
  return { preview, ...(whole ? {} : { rest: { lines, chars: body.length } }), marked: lines.some((l) => l.mark) };
}

function asLines(body: string, failingPaths: CompiledPath[]): BodyLine[] {
  const trimmed = body.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return jsonLines(JSON.parse(body)).map((l) => ({ text: l.text, mark: failingPaths.some((p) => selects(p, l.path)) }));
    } catch {
      // Not JSON after all (or cut short): shown as text.
    }
  }
  return body.split('\n').map((text) => ({ text, mark: false }));
}
