import type { ValidateFunction } from 'ajv';
import type { SourceLocation } from '../results/model.js';
import { ScenarioError, type Diagnostic } from '../scenario/diagnostics.js';
import { displayPath } from '../scenario/files.js';
import { readInputFile } from '../scenario/input-file.js';
import { validateTargetUrl } from '../scenario/load-profile.js';
import { compileSchema, schemaProblems, type SchemaProblem } from '../scenario/schema-errors.js';
import { YamlSource } from '../scenario/source-map.js';
import { PLACEHOLDER_REASON, type BaselineEntry } from './entry.js';
import type { KnownFinding } from './known-findings.js';
import { targetKey } from './match.js';
import { buildBaselineSchema } from './schema.js';

interface RawEntry {
  id: string;
  target?: string;
  reason: string;
  expires?: string;
  allowCritical?: boolean;
}

export interface BaselineFile {
  /** As the user named it, relative to the working folder when inside it. */
  file: string;
  entries: BaselineEntry[];
}

let validator: ValidateFunction | undefined;

/**
 * Loads a baseline file, refusing (every problem at its line and column, before anything is sent) one that is
 * not a list of entries, names findings by glob, keeps --write-baseline's placeholder reason, or accepts a
 * critical finding of `known` without `allowCritical: true`.
 */
export function loadBaseline(path: string, known: KnownFinding[]): BaselineFile {
  const file = displayPath(path);
  const read = readInputFile(path);
  if (!('text' in read)) throw new ScenarioError([{ file, line: 1, col: 1, code: read.code, message: `cannot read baseline ${path}: ${read.reason}` }]);
  const source = new YamlSource(file, read.text);
  const syntax = source.syntaxErrors();
  if (syntax.length) throw new ScenarioError(syntax);
  // An empty file is an empty baseline.
  const data = source.toJS() ?? [];
  validator ??= compileSchema(buildBaselineSchema());
  const shape = schemaProblems(validator, data, source);
  if (shape.some((p) => p.path.length === 0)) throw new ScenarioError(shape.map((p) => p.diagnostic));
  // Entries whose shape is right are checked further, so that one run of the loader reports every mistake.
  const misshapen = new Set(shape.map((p) => p.path[0]));
  const raw = data as RawEntry[];
  const diagnostics = [
    ...shape.map((problem) => clearerShapeProblem(problem, data, source)),
    ...entryProblems(raw.filter((_, index) => !misshapen.has(index)), raw, known, source),
  ];
  if (diagnostics.length) throw new ScenarioError(diagnostics);

  const entries = raw.map((entry, index): BaselineEntry => {
    const { line, col } = source.locate([index, 'id']);
    return { id: entry.id, target: entry.target, reason: entry.reason.trim(), expires: entry.expires, allowCritical: entry.allowCritical === true, at: { file, line, col } };
  });
  return { file, entries };
}

/**
 * What is wrong with well-shaped entries: the placeholder reason, a target that is no URL, the same finding
 * accepted twice, a critical finding without allowCritical. `all` gives each entry's index in the file.
 */
function entryProblems(entries: RawEntry[], all: RawEntry[], known: KnownFinding[], source: YamlSource): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const firstAt = new Map<string, SourceLocation>();
  for (const entry of entries) {
    const index = all.indexOf(entry);
    const at = (field: keyof RawEntry, code: string, message: string, hint?: string) => diagnostics.push(source.diagnosticAt([index, field], code, message, hint));
    if (entry.reason.trim() === PLACEHOLDER_REASON) {
      at('reason', 'E_BASELINE_NO_REASON', `the reason of ${entry.id} is still the placeholder --write-baseline wrote`, 'say why this finding is accepted, or remove the entry');
    }
    const targetProblem = entry.target === undefined ? undefined : validateTargetUrl(entry.target);
    if (targetProblem) at('target', 'E_BAD_VALUE', targetProblem);
    const key = `${entry.id}\u0000${entry.target === undefined ? '' : targetKey(entry.target)}`;
    const earlier = firstAt.get(key);
    if (earlier) at('id', 'E_DUPLICATE_ID', `${entry.id} is accepted twice${entry.target ? ` for ${entry.target}` : ''}: the first entry is at ${earlier.file}:${earlier.line}:${earlier.col}`);
    else firstAt.set(key, source.locate([index, 'id']));
    const critical = known.find((f) => f.severity === 'critical' && (f.id === entry.id || f.checkId === entry.id));
    if (critical && entry.allowCritical !== true) {
      at(
        'id',
        'E_BASELINE_CRITICAL',
        `${critical.id === entry.id ? entry.id : `${entry.id} covers ${critical.id}, which`} is critical (${critical.source.file}:${critical.source.line}:${critical.source.col}): a baseline accepts a critical finding only with allowCritical: true`,
        'add allowCritical: true to this entry, with a reason that says why the risk is accepted, and an expiry date',
      );
    }
  }
  return diagnostics;
}

/** A glob, a date in another form or a blank reason said in words rather than as the schema's pattern. */
function clearerShapeProblem(problem: SchemaProblem, data: unknown, source: YamlSource): Diagnostic {
  const [index, field] = problem.path;
  const value = Array.isArray(data) && typeof index === 'number' && typeof field === 'string' ? (data[index] as Record<string, unknown> | undefined)?.[field] : undefined;
  if (typeof value !== 'string') return problem.diagnostic;
  const at = (code: string, message: string, hint?: string) => source.diagnosticAt(problem.path, code, message, hint);
  if (field === 'id' && /[*?]/.test(value)) {
    return at('E_BAD_VALUE', `'${value}' is a glob: a baseline names each accepted check or case exactly`, 'one entry per check id (all its cases) or case id; a glob would also accept findings nobody has looked at');
  }
  if (field === 'id' && /\s/.test(value)) return at('E_BAD_VALUE', `'${value}' is not a check or case id: ids have no spaces`);
  if (field === 'expires') return at('E_BAD_VALUE', `expires '${value}' is not a date: write it as YYYY-MM-DD, e.g. 2026-06-30`);
  if (field === 'target') return at('E_BAD_VALUE', `target '${value}' is not an http:// or https:// URL`, 'give the base URL the run is pointed at, or leave target out to accept the finding on every target');
  if (field === 'reason') return at('E_BASELINE_NO_REASON', 'the reason is empty: say why this finding is accepted');
  return problem.diagnostic;
}
