/**
 * Selecting values in a JSON document, by JSON Pointer (`/users/0/id`, RFC 6901) or by a JSONPath subset
 * (`$.users[0].id`, `$.users[*].id`, `$['odd-key']`, `$.items.length`). Paths are parsed once, at load time,
 * so a bad path is a scenario error with a line number, not a failure in the middle of a run.
 */

type Step = { type: 'name'; name: string } | { type: 'index'; index: number } | { type: 'wildcard' };

export interface CompiledPath {
  source: string;
  steps: Step[];
  /** True when the path can select several values (wildcards). */
  multi: boolean;
}

export class JsonPathError extends Error {}

export function compileJsonPath(source: string): CompiledPath {
  const steps = source.startsWith('$') ? parseJsonPath(source) : source.startsWith('/') || source === '' ? parsePointer(source) : undefined;
  if (!steps) throw new JsonPathError(`'${source}' is neither a JSONPath (starts with $) nor a JSON Pointer (starts with /)`);
  return { source, steps, multi: steps.some((s) => s.type === 'wildcard') };
}

function parsePointer(source: string): Step[] {
  if (source === '') return [];
  return source
    .slice(1)
    .split('/')
    .map((raw): Step => {
      const name = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      return /^(0|[1-9]\d*)$/.test(name) ? { type: 'index', index: Number(name) } : { type: 'name', name };
    });
}

function parseJsonPath(source: string): Step[] {
  const steps: Step[] = [];
  let i = 1;
  while (i < source.length) {
    const c = source[i];
    if (c === '.') {
      if (source[i + 1] === '.') throw new JsonPathError(`recursive descent '..' is not supported in '${source}'`);
      const match = /^\.(\*|[A-Za-z_$][\w$-]*)/.exec(source.slice(i));
      if (!match) throw new JsonPathError(`expected a name after '.' at position ${i} in '${source}'`);
      steps.push(match[1] === '*' ? { type: 'wildcard' } : { type: 'name', name: match[1]! });
      i += match[0].length;
    } else if (c === '[') {
      const rest = source.slice(i);
      const match = /^\[\s*(?:(-?\d+)|\*|'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*\]/.exec(rest);
      if (!match) throw new JsonPathError(`unsupported bracket expression at position ${i} in '${source}' (use [n], [*] or ['name'])`);
      if (match[1] !== undefined) steps.push({ type: 'index', index: Number(match[1]) });
      else if (match[2] !== undefined) steps.push({ type: 'name', name: match[2].replace(/\\(.)/g, '$1') });
      else if (match[3] !== undefined) steps.push({ type: 'name', name: match[3].replace(/\\(.)/g, '$1') });
      else steps.push({ type: 'wildcard' });
      i += match[0].length;
    } else {
      throw new JsonPathError(`unexpected '${c}' at position ${i} in '${source}'`);
    }
  }
  return steps;
}

/** Every value the path selects (empty when nothing matches). */
export function selectAll(path: CompiledPath, document: unknown): unknown[] {
  let current: unknown[] = [document];
  for (const step of path.steps) {
    const next: unknown[] = [];
    for (const value of current) {
      if (step.type === 'wildcard') {
        // One push per item: spreading a target's 500 000-item array into push() would overflow the stack.
        if (value && typeof value === 'object') for (const item of Array.isArray(value) ? value : Object.values(value)) next.push(item);
      } else if (step.type === 'index') {
        if (Array.isArray(value)) {
          const index = step.index < 0 ? value.length + step.index : step.index;
          if (index >= 0 && index < value.length) next.push(value[index]);
        } else if (value && typeof value === 'object' && String(step.index) in value) {
          next.push((value as Record<string, unknown>)[String(step.index)]);
        }
      } else if (Array.isArray(value) && step.name === 'length') {
        next.push(value.length);
      } else if (value && typeof value === 'object' && Object.prototype.hasOwnProperty.call(value, step.name)) {
        next.push((value as Record<string, unknown>)[step.name]);
      }
    }
    current = next;
  }
  return current;
}

/** The selected value: the single match, or the list of matches for a wildcard path. */
export function select(path: CompiledPath, document: unknown): { found: boolean; value: unknown } {
  const all = selectAll(path, document);
  if (path.multi) return { found: all.length > 0, value: all };
  return all.length ? { found: true, value: all[0] } : { found: false, value: undefined };
}
