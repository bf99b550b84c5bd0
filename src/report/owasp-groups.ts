import type { CheckResult, CheckTaxonomy } from '../results/model.js';

/** A link only to a web page: a run file given to `gauntlet report` could carry any text where a URL belongs. */
const webLink = (url: string | undefined) => (url && /^https:\/\//i.test(url) ? url : undefined);

/** How a check's filing shows in the HTML report: a short label for its summary line, links for its body. */
export function filingView(taxonomy: CheckTaxonomy | undefined) {
  if (!taxonomy?.owasp && !taxonomy?.cwe) return undefined;
  const { owasp, cwe } = taxonomy;
  return {
    label: [owasp?.id, cwe ? `CWE-${cwe.id}` : undefined].filter(Boolean).join(' · '),
    owasp: owasp ? { id: owasp.id, title: owasp.title, href: webLink(owasp.url) } : undefined,
    cwe: cwe ? { id: `CWE-${cwe.id}`, title: cwe.title, href: webLink(cwe.url) } : undefined,
  };
}

export interface OwaspGroup {
  /** `API2:2023`, or undefined for the failed checks filed under no category. */
  id?: string;
  title: string;
  href?: string;
  filed: number;
  failed: { id: string; title: string; cwe?: string }[];
}

const categoryNumber = (id: string) => Number(/^API(\d+)/.exec(id)?.[1] ?? Number.MAX_SAFE_INTEGER);

/**
 * The run's checks by OWASP category, API1 to API10: how many are filed there and which failed. Failed checks under
 * no category come last, so every finding is listed once. Empty for a run where no check is filed.
 */
export function owaspGroups(checks: CheckResult[]): OwaspGroup[] {
  const groups = new Map<string, OwaspGroup>();
  const unfiled: OwaspGroup = { title: 'not filed under a category', filed: 0, failed: [] };
  for (const check of checks) {
    const owasp = check.taxonomy?.owasp;
    let group = unfiled;
    if (owasp) {
      group = groups.get(owasp.id) ?? { id: owasp.id, title: owasp.title, href: webLink(owasp.url), filed: 0, failed: [] };
      groups.set(owasp.id, group);
      group.filed++;
    }
    if (check.status === 'failed') group.failed.push({ id: check.id, title: check.title, cwe: check.taxonomy?.cwe ? `CWE-${check.taxonomy.cwe.id}` : undefined });
  }
  if (groups.size === 0) return [];
  const sorted = [...groups.values()].sort((a, b) => categoryNumber(a.id!) - categoryNumber(b.id!));
  return unfiled.failed.length ? [...sorted, unfiled] : sorted;
}
