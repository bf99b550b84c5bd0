import type { Exchange } from '../results/model.js';

/** A response header's value (repeated headers joined with ", "), or undefined; names are case-insensitive. */
export function responseHeader(exchange: Exchange | undefined, name: string): string | undefined {
  const value = exchange?.response?.headers[name.toLowerCase()];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : value;
}

/** How many times a header arrived (a repeated header is an array in the evidence). */
export function headerCount(exchange: Exchange | undefined, name: string): number {
  const value = exchange?.response?.headers[name.toLowerCase()];
  if (value === undefined) return 0;
  return Array.isArray(value) ? value.length : 1;
}

/** A comma-separated header as a list of trimmed, lower-cased tokens. */
export function headerTokens(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
}

export function statusOf(exchange: Exchange | undefined): number | undefined {
  return exchange?.response?.status;
}
