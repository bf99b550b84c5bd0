import { Composer, Document, isAlias, isCollection, isPair, Lexer, Parser, visit, YAMLParseError, type Alias, type CST, type LineCounter, type Node } from 'yaml';

/** Mappings and lists inside each other, at most: hand-written scenarios need about ten. */
export const MAX_NESTING_DEPTH = 64;
/** Nodes that aliases (*name) may add to a document, so a small file cannot stand for a huge one. */
export const MAX_ALIAS_NODES = 10_000;

/** A YAML resource limit that a document passes, and where. */
export interface LimitProblem {
  offset: number;
  code: 'E_YAML_TOO_DEEP' | 'E_YAML_ALIAS_LIMIT' | 'E_YAML_ALIAS_CYCLE';
  message: string;
  hint: string;
}

const COLLECTIONS = new Set(['block-map', 'block-seq', 'flow-collection']);
const TOO_DEEP_HINT = `gauntlet reads YAML nested at most ${MAX_NESTING_DEPTH} levels deep: flatten the document`;

/**
 * The first document of `text`, parsed as yaml's parseDocument does; or, when its nesting passes
 * MAX_NESTING_DEPTH, where it does. The parser keeps its own stack, so it is watched as it goes, before the
 * composer and everything after it recurse once per level and overflow the call stack.
 */
export function parseWithinLimits(text: string, lines: LineCounter): { doc: Document.Parsed } | { problem: LimitProblem } {
  const parser = new Parser(lines.addNewLine);
  lines.addNewLine(0);
  const tokens: CST.Token[] = [];
  for (const lexeme of new Lexer().lex(text)) {
    tokens.push(...parser.next(lexeme));
    if (parser.stack.length <= MAX_NESTING_DEPTH) continue;
    const tooDeep = parser.stack.filter((token) => COLLECTIONS.has(token.type))[MAX_NESTING_DEPTH];
    if (tooDeep) return { problem: { offset: tooDeep.offset, code: 'E_YAML_TOO_DEEP', message: `nested deeper than ${MAX_NESTING_DEPTH} levels`, hint: TOO_DEEP_HINT } };
  }
  tokens.push(...parser.end());
  let doc: Document.Parsed | undefined;
  for (const next of new Composer({ uniqueKeys: true }).compose(tokens, true, text.length)) {
    if (!doc) doc = next;
    else {
      doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
      break;
    }
  }
  return { doc: doc! };
}

/**
 * What each alias stands for: the latest node before it with that anchor, as yaml resolves it (one pass,
 * where yaml's Alias.resolve walks the whole document for every alias). Undefined: no anchor before it.
 */
export function aliasTargets(doc: Document): Map<Alias, Node | undefined> {
  const anchors = new Map<string, Node>();
  const targets = new Map<Alias, Node | undefined>();
  visit(doc, {
    Node: (_, node) => {
      if (isAlias(node)) targets.set(node, anchors.get(node.source));
      else if (node.anchor) anchors.set(node.anchor, node);
    },
  });
  return targets;
}

/**
 * The first limit the document passes once its aliases are expanded: more than MAX_ALIAS_NODES nodes added by
 * aliases, nesting past MAX_NESTING_DEPTH, or an alias inside its own
 * anchor, which never ends. Walked with a stack of its own: the expansion is what must not be trusted.
 */
export function aliasLimitProblem(doc: Document, targets: Map<Alias, Node | undefined>): LimitProblem | undefined {
  let added = 0;
  const pending: { node: unknown; depth: number; via?: Alias }[] = [{ node: doc.contents, depth: 0 }];
  while (pending.length) {
    const { node, depth, via } = pending.pop()!;
    if (via && ++added > MAX_ALIAS_NODES) {
      return problemAt(via, 'E_YAML_ALIAS_LIMIT', `aliases expand to more than ${MAX_ALIAS_NODES} nodes`, 'write the repeated parts out, or repeat them less');
    }
    if (isAlias(node)) {
      const target = targets.get(node);
      if (target && within(node, target)) {
        return problemAt(node, 'E_YAML_ALIAS_CYCLE', `alias *${node.source} is inside the &${node.source} it refers to, so it would expand forever`, 'refer to an anchor outside the value');
      }
      if (target) pending.push({ node: target, depth, via: via ?? node });
    } else if (isCollection(node)) {
      if (depth >= MAX_NESTING_DEPTH) {
        const message = `nested deeper than ${MAX_NESTING_DEPTH} levels${via ? ` once alias *${via.source} is expanded` : ''}`;
        return problemAt(via ?? node, 'E_YAML_TOO_DEEP', message, TOO_DEEP_HINT);
      }
      // Reversed, so that the stack hands items back in document order.
      for (const item of [...node.items].reverse()) {
        const children = isPair(item) ? [item.value, item.key] : [item];
        for (const child of children) pending.push({ node: child, depth: depth + 1, via });
      }
    }
  }
  return undefined;
}

function within(alias: Alias, target: Node): boolean {
  const [start, , end] = target.range ?? [0, 0, 0];
  const at = alias.range?.[0] ?? -1;
  return start <= at && at < end;
}

function problemAt(node: Node, code: LimitProblem['code'], message: string, hint: string): LimitProblem {
  return { offset: node.range?.[0] ?? 0, code, message, hint };
}
