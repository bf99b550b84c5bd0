import type { CompiledPath } from '../../util/json-path.js';

type Key = string | number;

/** A line of pretty-printed JSON, with the path of the value it belongs to. */
export interface JsonLine {
  text: string;
  path: Key[];
}

/** Pretty-prints JSON two spaces deep, each line knowing whose value it shows. */
export function jsonLines(value: unknown): JsonLine[] {
  const lines: JsonLine[] = [];
  const emit = (v: unknown, path: Key[], indent: string, prefix: string, comma: string) => {
    if (Array.isArray(v) || (v !== null && typeof v === 'object')) {
      const entries: [Key, unknown][] = Array.isArray(v) ? v.map((item, i) => [i, item]) : Object.entries(v);
      const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
      if (entries.length === 0) return lines.push({ text: `${indent}${prefix}${open}${close}${comma}`, path });
      lines.push({ text: `${indent}${prefix}${open}`, path });
      entries.forEach(([key, item], i) => {
        const label = typeof key === 'number' ? '' : `${JSON.stringify(key)}: `;
        emit(item, [...path, key], `${indent}  `, label, i < entries.length - 1 ? ',' : '');
      });
      return lines.push({ text: `${indent}${close}${comma}`, path });
    }
    return lines.push({ text: `${indent}${prefix}${JSON.stringify(v)}${comma}`, path });
  };
  emit(value, [], '', '', '');
  return lines;
}

/** Whether a line shows (part of) a value the path selects: the path's steps lead to it or into it. */
export function selects(path: CompiledPath, line: Key[]): boolean {
  if (path.steps.length === 0 || line.length < path.steps.length) return false;
  return path.steps.every((step, i) => {
    const key = line[i];
    if (step.type === 'wildcard') return true;
    return step.type === 'index' ? key === step.index : key === step.name;
  });
}
