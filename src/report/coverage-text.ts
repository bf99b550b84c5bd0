import type { ApiCoverage } from '../results/model.js';

/** At most this many untouched operations and undocumented statuses are listed; the rest are counted. */
const LISTED = 10;

const percent = (n: number, total: number) => `${Math.round((100 * n) / Math.max(1, total))}%`;

/** The coverage of an API's document in plain lines, for the console and the text parts of other reports. */
export function coverageLines(coverage: ApiCoverage): string[] {
  const { total, audited } = coverage.operations;
  const lines = [`OpenAPI coverage of "${coverage.title}": ${audited} of ${total} operations audited (${percent(audited, total)})`];
  const kinds = Object.entries(coverage.byKind).sort((a, b) => b[1] - a[1]);
  if (kinds.length) lines.push(`  by check kind: ${kinds.map(([kind, n]) => `${kind} ${n}`).join(', ')}`);
  const categories = Object.entries(coverage.byCategory).sort((a, b) => a[0].localeCompare(b[0], 'en', { numeric: true }));
  if (categories.length) lines.push(`  by OWASP category: ${categories.map(([id, n]) => `${id.replace(':2023', '')} ${n}`).join(', ')}`);
  if (coverage.untouched.length) {
    lines.push(`  not audited (${coverage.untouched.length}): ${coverage.untouched.slice(0, LISTED).join(', ')}${coverage.untouched.length > LISTED ? `, and ${coverage.untouched.length - LISTED} more` : ''}`);
  }
  if (coverage.undocumentedStatuses.length) {
    const shown = coverage.undocumentedStatuses.slice(0, LISTED).map((u) => `${u.operation} answered ${u.status}`);
    lines.push(`  statuses the document does not list (${coverage.undocumentedStatuses.length}): ${shown.join(', ')}${coverage.undocumentedStatuses.length > LISTED ? ', ...' : ''}`);
  }
  return lines;
}
