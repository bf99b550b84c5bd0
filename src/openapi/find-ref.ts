/** RFC 6901: `/paths/~1pets/get`. */
export function toPointer(path: readonly (string | number)[]): string {
  return `#${path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('')}`;
}

/** Where in a document a `$ref` with this exact value is written (an iterative walk: documents can be deep). */
export function findRef(document: unknown, ref: string): string | undefined {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: document, path: [] }];
  const seen = new Set<unknown>();
  while (stack.length) {
    const { value, path } = stack.pop()!;
    if (value === null || typeof value !== 'object' || seen.has(value)) continue;
    seen.add(value);
    if ((value as Record<string, unknown>).$ref === ref) return toPointer([...path, '$ref']);
    for (const [key, child] of Object.entries(value)) stack.push({ value: child, path: [...path, Array.isArray(value) ? Number(key) : key] });
  }
  return undefined;
}
