import { Document, isMap, isPair, isScalar, isSeq, LineCounter, visit, type Node } from 'yaml';
import type { SourceLocation } from '../results/model.js';
import { codeFrame, type Diagnostic } from './diagnostics.js';
import { profileFieldsIn, topLevelKeys } from './profile-shape.js';
import { SecretMask } from './secret-mask.js';
import { aliasLimitProblem, aliasTargets, parseWithinLimits, type LimitProblem } from './yaml-limits.js';
import { explainSyntaxErrors, quoted, unquotedTemplateValue, type YamlProblem } from './yaml-syntax.js';

export type JsonPath = (string | number)[];

/** A parsed YAML file that can say where any value (or key) of it sits. */
export class YamlSource {
  /** Empty when the text is nested too deeply to parse. */
  readonly doc: Document;
  private readonly lines = new LineCounter();
  private readonly tooDeep?: LimitProblem;
  private readonly secrets = new SecretMask();
  /** The text code frames show: `text` with its secrets masked. */
  private frameText: string;

  /** `profile`: a target profile, which may hold secrets whatever its shape. */
  constructor(
    readonly file: string,
    readonly text: string,
    private readonly options: { profile?: boolean } = {},
  ) {
    this.frameText = text;
    const parsed = parseWithinLimits(text, this.lines);
    if ('doc' in parsed) this.doc = parsed.doc;
    else {
      this.doc = new Document(null);
      this.tooDeep = parsed.problem;
    }
  }

  /**
   * Mistakes that stop the document from being read: syntax errors (a few, located and explained, not the
   * parser's cascade), aliases without an anchor, and keys that are mappings (an unquoted `{{var}}`).
   */
  syntaxErrors(): Diagnostic[] {
    // Without a document there is no telling whether it holds secrets: no code frame.
    if (this.tooDeep) return [{ ...this.problemDiagnostic(this.tooDeep), frame: undefined }];
    if (this.doc.errors.length) return explainSyntaxErrors(this.text, this.doc.errors, { echo: !this.mayHoldSecrets }).map((p) => this.problemDiagnostic(p));
    const errors: Diagnostic[] = [];
    const targets = aliasTargets(this.doc);
    // The parser accepts an alias whose anchor is missing (or comes later); converting it would throw.
    visit(this.doc, {
      Alias: (_, alias) => {
        if (targets.get(alias) !== undefined) return;
        const at = this.lines.linePos(alias.range?.[0] ?? 0);
        errors.push(this.diagnostic(at, 'E_YAML_SYNTAX', `alias *${alias.source} has no anchor &${alias.source} before it`));
      },
      // A mapping as a key cannot become a JSON field; converting it would print a warning and a mangled name.
      Map: (_, map, path) => {
        const start = map.range?.[0] ?? 0;
        const template = map.flow ? unquotedTemplateValue(this.text.slice(start, map.range?.[1] ?? start)) : undefined;
        if (template) {
          const parent = path[path.length - 1];
          const key = isPair(parent) && isScalar(parent.key) ? `${String(parent.key.value)}: ` : '';
          const echo = !this.mayHoldSecrets;
          errors.push(
            this.diagnostic(
              this.lines.linePos(start),
              'E_UNQUOTED_TEMPLATE',
              `${echo ? template : '{{...}}'} is not quoted, so YAML reads it as a mapping, not as text`,
              `{{...}} as a whole value must be quoted${echo ? `: ${key}${quoted(template)}` : ''}`,
            ),
          );
          return visit.SKIP;
        }
        return undefined;
      },
      Pair: (_, pair) => {
        if (!isMap(pair.key) && !isSeq(pair.key)) return;
        const at = this.lines.linePos((pair.key as Node).range?.[0] ?? 0);
        errors.push(this.diagnostic(at, 'E_YAML_COMPLEX_KEY', 'a key that is a mapping or a list: keys must be plain names', 'quote the key if it is meant as text'));
      },
    });
    const limit = errors.length ? undefined : aliasLimitProblem(this.doc, targets);
    if (limit) errors.push(this.problemDiagnostic(limit));
    return this.mayHoldSecrets ? errors.map((e) => ({ ...e, frame: undefined })) : errors;
  }

  /**
   * A document shaped like a target profile (as far as it parsed) may hold an API key inline: its syntax errors
   * carry no code frame and no quoted text, only what is wrong and where.
   */
  private get mayHoldSecrets(): boolean {
    return this.options.profile === true || profileFieldsIn(topLevelKeys(this.doc)) !== undefined;
  }

  private problemDiagnostic(problem: YamlProblem): Diagnostic {
    const diagnostic = this.diagnostic(this.lines.linePos(problem.offset), problem.code, problem.message, problem.hint);
    const shown = this.mayHoldSecrets ? { ...diagnostic, frame: undefined } : diagnostic;
    return problem.note ? { ...shown, note: problem.note } : shown;
  }

  /** Only after syntaxErrors() found none: it bounds what aliases expand to, so yaml's own guess is off. */
  toJS(): unknown {
    return this.doc.toJS({ maxAliasCount: -1 });
  }

  /** Where the value at `path` starts; with `key`, where its key starts. Falls back to the nearest ancestor. */
  locate(path: JsonPath, key = false): SourceLocation {
    let node: unknown = this.doc.contents;
    let offset = (this.doc.contents as Node | null)?.range?.[0] ?? 0;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i]!;
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) break;
        const keyNode = pair.key as Node;
        if (last && key) {
          offset = keyNode.range?.[0] ?? offset;
          break;
        }
        node = pair.value;
        offset = (pair.value as Node | null)?.range?.[0] ?? keyNode.range?.[0] ?? offset;
      } else if (isSeq(node)) {
        const item = node.items[Number(segment)] as Node | undefined;
        if (!item) break;
        node = item;
        offset = item.range?.[0] ?? offset;
      } else {
        break;
      }
    }
    return { file: this.file, ...this.lines.linePos(offset) };
  }

  /** Secrets this file holds (nodes and their values): masked in every diagnostic made after. */
  hideSecrets(secrets: readonly { node: Node; value: unknown }[]): void {
    for (const { node, value } of secrets) this.secrets.add(node, value);
    this.frameText = this.secrets.file(this.text);
  }

  diagnostic(at: { line: number; col: number }, code: string, message: string, hint?: string): Diagnostic {
    const hide = (text: string) => this.secrets.text(text);
    return { file: this.file, line: at.line, col: at.col, code, message: hide(message), hint: hint && hide(hint), frame: codeFrame(this.frameText, at.line, at.col) };
  }

  diagnosticAtNode(node: Node, code: string, message: string, hint?: string): Diagnostic {
    return this.diagnostic(this.lines.linePos(node.range?.[0] ?? 0), code, message, hint);
  }

  diagnosticAt(path: JsonPath, code: string, message: string, hint?: string, key = false): Diagnostic {
    return this.diagnostic(this.locate(path, key), code, message, hint);
  }
}

/** `/checks/0/request` (ajv instancePath) -> ['checks', 0, 'request']. */
export function pointerToPath(pointer: string): JsonPath {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export function pathToString(path: JsonPath): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}
