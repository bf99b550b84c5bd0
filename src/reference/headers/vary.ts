import type { ServerResponse } from 'node:http';

/** Adds a field to the response's Vary header, once, keeping what other parts put there. */
export function appendVary(res: ServerResponse, field: string): void {
  const current = res.getHeader('vary');
  const fields = String(Array.isArray(current) ? current.join(',') : (current ?? ''))
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  if (fields.includes('*') || fields.some((f) => f.toLowerCase() === field.toLowerCase())) return;
  res.setHeader('vary', [...fields, field].join(', '));
}
