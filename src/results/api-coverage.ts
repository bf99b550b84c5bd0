import type { ApiCoverage } from './model.js';

/** The counts of a coverage from what each operation was reached by. */
export function summarizeCoverage(document: string, title: string, untouched: string[], reached: ApiCoverage['reached'], undocumentedStatuses: ApiCoverage['undocumentedStatuses']): ApiCoverage {
  const byKind: Record<string, number> = {};
  const byCategory: Record<string, number> = {};
  for (const { kinds, categories } of Object.values(reached)) {
    for (const kind of kinds) byKind[kind] = (byKind[kind] ?? 0) + 1;
    for (const category of categories) byCategory[category] = (byCategory[category] ?? 0) + 1;
  }
  const audited = Object.keys(reached).length;
  return { document, title, operations: { total: audited + untouched.length, audited }, byKind, byCategory, untouched, reached, undocumentedStatuses };
}

/**
 * The coverage of shards of one run, from each shard's: an operation is reached if any shard reached it. Undefined
 * when no shard has one; an error when they cover different documents.
 */
export function mergeCoverage(coverages: (ApiCoverage | undefined)[]): ApiCoverage | undefined {
  const present = coverages.filter((c): c is ApiCoverage => c !== undefined && c.reached !== undefined);
  if (present.length === 0) return undefined;
  const [first] = present as [ApiCoverage];
  const reached: ApiCoverage['reached'] = {};
  for (const coverage of present) {
    for (const [label, by] of Object.entries(coverage.reached)) {
      const known = reached[label] ?? { kinds: [], categories: [] };
      reached[label] = { kinds: [...new Set([...known.kinds, ...by.kinds])].sort(), categories: [...new Set([...known.categories, ...by.categories])].sort() };
    }
  }
  const untouched = first.untouched.filter((label) => !(label in reached));
  const statuses = new Map<string, ApiCoverage['undocumentedStatuses'][number]>();
  for (const u of present.flatMap((c) => c.undocumentedStatuses)) {
    const key = `${u.operation} ${u.status}`;
    const known = statuses.get(key);
    statuses.set(key, { ...u, checks: [...new Set([...(known?.checks ?? []), ...u.checks])].sort() });
  }
  return summarizeCoverage(first.document, first.title, untouched, reached, [...statuses.values()]);
}
