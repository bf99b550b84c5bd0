/** A body with one meaningful change: the first string field gets a suffix, or a field is added. */
export function tamperJson(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value);
    const index = entries.findIndex(([, v]) => typeof v === 'string');
    if (index >= 0) return Object.fromEntries(entries.map(([k, v], i) => [k, i === index ? `${v as string} (tampered)` : v]));
    return { ...value, tampered: true };
  }
  if (Array.isArray(value)) return [...value, 'tampered'];
  return typeof value === 'string' ? `${value} (tampered)` : { value, tampered: true };
}
