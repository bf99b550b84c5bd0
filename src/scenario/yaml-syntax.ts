import { Parser, type YAMLError } from 'yaml';

/** A YAML mistake as a person needs it: where it really is, what it is, and how to fix it. */
export interface YamlProblem {
  offset: number;
  code: string;
  message: string;
  hint?: string;
  note?: string;
}

/** Syntax errors shown per file: after the first, the parser's recovery is guesswork. */
const MAX_SHOWN = 3;

/**
 * The YAML parser reports every token it cannot place after a mistake: one unquoted `{{var}}` in a flow map
 * gave 931 errors. Keep the errors that are mistakes of their own (the first; later ones on a line of their
 * own, not right after another error, and before the parser lost the document: "... in YAML stream"),
 * move each to where the mistake is, add a hint, and count the rest in a note.
 */
export function explainSyntaxErrors(text: string, errors: readonly YAMLError[], options: { echo: boolean }): YamlProblem[] {
  const located = [...errors]
    .map((error) => ({ error, offset: error.pos[0] }))
    .sort((a, b) => a.offset - b.offset);
  const lines = lineStarts(text);
  const shown: YamlProblem[] = [];
  let lastErrorLine = -Infinity;
  let lost = false;
  for (const { error, offset } of located) {
    const problem = explain(text, error, offset, lines, options.echo);
    const line = lineOf(lines, problem.offset);
    const independent = !lost && line > lastErrorLine + 1 && shown.length < MAX_SHOWN;
    lastErrorLine = Math.max(lastErrorLine, line, lineOf(lines, offset));
    if (/in YAML stream/.test(error.message)) lost = true;
    if (independent) shown.push(problem);
  }
  const hidden = located.length - shown.length;
  if (hidden > 0) {
    const these = shown.length === 1 ? 'this one' : `the ${shown.length} shown`;
    shown[0]!.note = `the YAML parser reported ${hidden} more error${hidden === 1 ? '' : 's'} in this file, not shown: most likely consequences of ${these}; fix ${shown.length === 1 ? 'it' : 'them'} first`;
  }
  return shown;
}

/** With `echo` false (a file that may hold secrets), hints say what to do without quoting the file. */
function explain(text: string, error: YAMLError, offset: number, lines: number[], echo: boolean): YamlProblem {
  // The parser quotes the token it choked on, which in a profile may be a key.
  const first = error.message.split('\n')[0]!;
  const message = echo ? first : first.replace(/: ".*"$/, '');
  const base: YamlProblem = { offset, code: 'E_YAML_SYNTAX', message };
  const lineText = textOfLine(text, lines, lineOf(lines, offset));

  if (error.code === 'TAB_AS_INDENT') return { ...base, hint: 'indent with spaces: YAML does not allow tabs in indentation' };

  const template = unquotedTemplateIn(text, lines, offset, echo);
  if (template) return { ...base, offset: template.offset, message: `${template.shown} is not quoted, and inside ${template.within} YAML reads { and } as brackets`, hint: template.hint };

  const quote = /Missing closing (["'])quote/.exec(message)?.[1];
  if (quote) {
    const token = enclosingToken(text, offset, (t) => t.type === (quote === '"' ? 'double-quoted-scalar' : 'single-quoted-scalar'));
    if (!token) return base;
    const end = token.offset + (token.source?.length ?? 0);
    const toEnd = end >= text.trimEnd().length;
    return {
      ...base,
      offset: token.offset,
      message: toEnd ? `this ${quote} quote is never closed` : `this ${quote} quote is not closed`,
      hint: `close it with ${quote} where the value ends${toEnd ? '; a quoted value may run over several lines, so the rest of the file was read as part of it' : ''}`,
    };
  }

  const bracket = /Flow (map|sequence) .*end with an? ([}\]])/.exec(message);
  if (bracket) {
    const [, what, close] = bracket;
    const open = close === '}' ? '{' : '[';
    const start = lastUnclosedFlow(text, offset, open!);
    return {
      ...base,
      offset: start ?? offset,
      message: `this ${open} is never closed: a flow ${what} must end with ${close}`,
      hint: `add the missing ${close} (a flow ${what} may continue on the next lines only if they are indented deeper than its key)`,
    };
  }

  if (error.code === 'BLOCK_AS_IMPLICIT_KEY' || error.code === 'MULTILINE_IMPLICIT_KEY') {
    const colon = colonInValue(lineText);
    if (colon) return { ...base, message: `the value of '${colon.key}' contains ": ", which YAML reads as another key`, hint: echo ? `quote the value: ${colon.key}: ${quoted(colon.value)}` : 'quote the value' };
    const deeper = overIndentedLineAfter(text, lines, lineOf(lines, offset));
    if (deeper) {
      return {
        ...base,
        offset: deeper.offset,
        message: `this line is indented deeper than '${deeper.key}' above it, so YAML reads it as part of that value`,
        hint: `indent it like '${deeper.key}' (${deeper.indent} spaces)`,
      };
    }
  }
  return base;
}

interface TemplateHint {
  offset: number;
  shown: string;
  within: string;
  hint: string;
}

/** An unquoted `{{name}}` on the line of a syntax error, inside a flow map or list on that line. */
function unquotedTemplateIn(text: string, lines: number[], offset: number, echo: boolean): TemplateHint | undefined {
  const lineNo = lineOf(lines, offset);
  const line = textOfLine(text, lines, lineNo);
  const at = unquotedIndexOf(line, '{{');
  if (at < 0) return undefined;
  const opener = lastOpenBracket(line.slice(0, at));
  if (!opener) return undefined;
  const close = line.indexOf('}}', at);
  if (close < 0) return undefined;
  // The whole plain value holding it: from after `key: `, `, ` or the bracket, up to the next `,` `}` `]`.
  const startMatch = /(?:^|[{[,]\s*|:\s+)((?:[^{[,:]|:(?!\s))*)$/.exec(line.slice(0, at));
  const valueStart = at - (startMatch?.[1]?.length ?? 0);
  const rest = /^[^,}\]]*/.exec(line.slice(close + 2))?.[0] ?? '';
  const value = line.slice(valueStart, close + 2 + rest.length).trim();
  const key = /([^\s{[,]+):\s+$/.exec(line.slice(0, valueStart))?.[1];
  const template = line.slice(at, close + 2);
  return {
    offset: lines[lineNo - 1]! + at,
    shown: echo ? template : '{{...}}',
    within: opener === '{' ? 'a flow map { ... }' : 'a flow list [ ... ]',
    hint: `{{...}} inside ${opener === '{' ? 'a flow map' : 'a flow list'} must be quoted${echo ? `: ${key ? `${key}: ` : ''}${quoted(value)}` : ''}`,
  };
}

/** `{{name}}` written unquoted as a whole value parses, as a mapping in a mapping: say so before it is used. */
export function unquotedTemplateValue(source: string): string | undefined {
  return /^\{\{\s*[A-Za-z_][A-Za-z0-9_.-]*\s*\}\}$/.test(source.trim()) ? source.trim() : undefined;
}

export function quoted(value: string): string {
  return value.includes('"') && !value.includes("'") ? `'${value}'` : JSON.stringify(value);
}

function colonInValue(line: string): { key: string; value: string } | undefined {
  const match = /^\s*(?:-\s+)?([^\s:'"{[#][^:#]*?):\s+(.*?)\s*(?:\s#.*)?$/.exec(line);
  if (!match) return undefined;
  const [, key, value] = match;
  if (!value || /^["'{[|>&*!]/.test(value) || !/:(\s|$)/.test(value)) return undefined;
  return { key: key!.trim(), value };
}

function overIndentedLineAfter(text: string, lines: number[], lineNo: number): { offset: number; key: string; indent: number } | undefined {
  const key = /^(\s*(?:-\s+)?)([^\s:#]+):\s+\S/.exec(textOfLine(text, lines, lineNo));
  if (!key) return undefined;
  const indent = key[1]!.length;
  for (let n = lineNo + 1; n <= lines.length; n++) {
    const next = textOfLine(text, lines, n);
    if (!next.trim() || next.trimStart().startsWith('#')) continue;
    const nextIndent = next.length - next.trimStart().length;
    if (nextIndent > indent && /^[^\s:#][^:]*:(\s|$)/.test(next.trimStart())) return { offset: lines[n - 1]! + nextIndent, key: key[2]!, indent };
    return undefined;
  }
  return undefined;
}

/** Index of `needle` in `line` outside quotes and comments, or -1. */
function unquotedIndexOf(line: string, needle: string): number {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if ((c === '"' || c === "'") && (i === 0 || /[\s{[,:]/.test(line[i - 1]!))) quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return -1;
    else if (line.startsWith(needle, i)) return i;
  }
  return -1;
}

function lastOpenBracket(prefix: string): '{' | '[' | undefined {
  const stack: string[] = [];
  for (const c of prefix) {
    if (c === '{' || c === '[') stack.push(c);
    else if ((c === '}' || c === ']') && stack.length) stack.pop();
  }
  return stack[stack.length - 1] as '{' | '[' | undefined;
}

interface CstToken {
  type: string;
  offset: number;
  source?: string;
  start?: CstToken;
  end?: CstToken[];
}

function cstTokens(text: string): CstToken[] {
  const out: CstToken[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const token = node as CstToken;
    if (typeof token.type === 'string' && typeof token.offset === 'number') out.push(token);
    for (const value of Object.values(node)) if (value && typeof value === 'object') walk(value);
  };
  for (const token of new Parser().parse(text)) walk(token);
  return out;
}

/** The token of the given kind that starts before `offset` and reaches it (the latest such). */
function enclosingToken(text: string, offset: number, want: (t: CstToken) => boolean): CstToken | undefined {
  return cstTokens(text)
    .filter((t) => want(t) && t.offset <= offset && t.offset + (t.source?.length ?? 0) >= offset)
    .sort((a, b) => b.offset - a.offset)[0];
}

/** Where the latest flow collection opened with `open` before `offset` and never closed starts. */
function lastUnclosedFlow(text: string, offset: number, open: '{' | '['): number | undefined {
  const close = open === '{' ? '}' : ']';
  const unclosed = cstTokens(text).filter(
    (t) => t.type === 'flow-collection' && t.start?.source === open && t.offset < offset && !(t.end ?? []).some((e) => e.source === close),
  );
  return unclosed.sort((a, b) => b.offset - a.offset)[0]?.offset;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

/** 1-based line of an offset. */
function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function textOfLine(text: string, starts: number[], lineNo: number): string {
  const start = starts[lineNo - 1] ?? text.length;
  const end = starts[lineNo] ?? text.length + 1;
  return text.slice(start, end - 1).replace(/\r$/, '');
}
