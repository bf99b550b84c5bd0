import { summarizeCoverage } from '../results/api-coverage.js';
import type { ApiCoverage, CheckResult, RunResult } from '../results/model.js';
import { operationLabel, type ApiModel, type ApiOperation } from './model.js';

/** An operation's path template as segments; `{x}` matches any one segment. */
function matcher(op: ApiOperation): (segments: string[]) => boolean {
  const template = op.path.split('/').filter(Boolean);
  return (segments) => segments.length === template.length && template.every((t, i) => /^\{[^}]+\}$/.test(t) || t === decodeSafe(segments[i]!));
}

function decodeSafe(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Whether an operation documents a status: exactly, by range (4XX) or by default. */
function documents(op: ApiOperation, status: number): boolean {
  return op.responses.some((r) => r.status === String(status) || r.status.toUpperCase() === `${String(status)[0]}XX` || r.status === 'default');
}

/**
 * Which operations the run's requests reached (each exchange's method and path, less the target's base path,
 * matched against the document's templates; literal paths before templated ones), by check kind and OWASP
 * category; the operations none reached; and the statuses answered that an operation does not document.
 */
export function computeCoverage(model: ApiModel, run: RunResult, document: string): ApiCoverage {
  const basePath = new URL(run.target.url).pathname.replace(/\/$/, '');
  const ordered = [...model.operations].sort((a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0));
  const matchers = ordered.map((op) => ({ op, label: operationLabel(op), matches: matcher(op) }));
  const reachedBy = new Map<string, CheckResult[]>();
  const undocumented = new Map<string, { operation: string; status: number; checks: Set<string> }>();
  for (const check of run.scenarios.flatMap((s) => s.checks)) {
    for (const exchange of check.evidence.exchanges ?? []) {
      let url: URL;
      try {
        url = new URL(exchange.request.url);
      } catch {
        continue;
      }
      if (basePath && !url.pathname.startsWith(basePath)) continue;
      const segments = url.pathname.slice(basePath.length).split('/').filter(Boolean);
      const method = exchange.request.method.toLowerCase();
      const found = matchers.find((m) => m.op.method === method && m.matches(segments));
      if (!found) continue;
      reachedBy.set(found.label, [...(reachedBy.get(found.label) ?? []), check]);
      const status = exchange.response?.status;
      if (status !== undefined && !documents(found.op, status)) {
        const key = `${found.label} ${status}`;
        const entry = undocumented.get(key) ?? { operation: found.label, status, checks: new Set<string>() };
        entry.checks.add(check.id);
        undocumented.set(key, entry);
      }
    }
  }
  const reached = Object.fromEntries(
    [...reachedBy].map(([label, checks]) => [
      label,
      { kinds: [...new Set(checks.map((c) => c.kind))].sort(), categories: [...new Set(checks.map((c) => c.taxonomy?.owasp?.id).filter((c): c is string => c !== undefined))].sort() },
    ]),
  );
  const untouched = model.operations.map(operationLabel).filter((label) => !reachedBy.has(label));
  return summarizeCoverage(document, model.title, untouched, reached, [...undocumented.values()].map((u) => ({ operation: u.operation, status: u.status, checks: [...u.checks].sort() })));
}

