import type { AssertionResult, Exchange } from '../../results/model.js';
import { formatDuration } from '../../util/duration.js';
import { bodyView } from './body-view.js';
import { failingTargets } from './failing-targets.js';

interface HeaderRow {
  name: string;
  value: string;
  failing: boolean;
}

function headerRows(headers: Record<string, string | string[]>, failing: Set<string>): HeaderRow[] {
  const rows = Object.entries(headers).map(([name, value]) => ({ name, value: Array.isArray(value) ? value.join('\n') : value, failing: failing.has(name.toLowerCase()) }));
  // A header the assertions wanted and the answer lacked is shown as missing, where a reader looks for it.
  const shown = new Set(rows.map((r) => r.name.toLowerCase()));
  const missing = [...failing].filter((name) => !shown.has(name)).map((name) => ({ name, value: '(absent)', failing: true }));
  return [...rows, ...missing];
}

/** One exchange as the report lays it out: headers with the failing ones marked, bodies cut to a preview. */
export function exchangeView(exchange: Exchange, assertions: AssertionResult[] | undefined) {
  const targets = failingTargets(assertions, exchange);
  return {
    ...exchange,
    requestHeaders: headerRows(exchange.request.headers, new Set()),
    requestBody: exchange.request.body ? bodyView(exchange.request.body, []) : undefined,
    responseHeaders: exchange.response ? headerRows(exchange.response.headers, targets.headers) : [],
    responseBody: exchange.response?.body ? bodyView(exchange.response.body, targets.jsonPaths) : undefined,
    timing: formatDuration(exchange.timings.totalMs),
  };
}
