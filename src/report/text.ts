import type { Exchange } from '../results/model.js';

/** A short, plain-text account of one exchange: the request line and what came back. */
export function describeExchange(exchange: Exchange): string {
  const request = `${exchange.label ? `[${exchange.label}] ` : ''}${exchange.request.method} ${exchange.request.url}${
    exchange.request.identity ? ` (identity ${exchange.request.identity})` : ''
  }`;
  if (exchange.transport) return `${request} -> ${exchange.transport.class} (${exchange.transport.code}) after ${exchange.timings.totalMs.toFixed(0)}ms`;
  const response = exchange.response!;
  return `${request} -> ${response.status} ${response.statusText} in ${exchange.timings.totalMs.toFixed(0)}ms`;
}
