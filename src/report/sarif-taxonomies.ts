import type { CheckResult, CheckTaxonomy } from '../results/model.js';

/** A taxon as SARIF writes it (§3.49: a reportingDescriptor inside a taxonomy's toolComponent). */
interface Taxon {
  id: string;
  name: string;
  shortDescription: { text: string };
  helpUri: string;
}

/** A reference to a taxon (§3.52), from a rule's relationships or a result's taxa. */
export interface TaxonReference {
  id: string;
  index: number;
  toolComponent: { name: string; index: number };
}

const OWASP = {
  name: 'OWASP API Security Top 10',
  version: '2023',
  organization: 'OWASP Foundation',
  informationUri: 'https://owasp.org/API-Security/editions/2023/en/0x11-t10/',
  shortDescription: { text: 'The OWASP Top 10 API Security Risks, 2023 edition' },
};
const CWE = {
  name: 'CWE',
  organization: 'MITRE',
  informationUri: 'https://cwe.mitre.org/',
  shortDescription: { text: 'The MITRE Common Weakness Enumeration' },
};

/** `API2:2023` -> 2, so categories sort API1 ... API10. */
const categoryNumber = (id: string) => Number(/^API(\d+)/.exec(id)?.[1] ?? Number.MAX_SAFE_INTEGER);

/**
 * The run's taxonomies (§3.14.27): OWASP API Security Top 10 2023 and CWE, each with the taxa the run's checks are
 * filed under and no other, and references to them for rules and results. A run with no filed check has none.
 */
export class SarifTaxonomies {
  private readonly components: { descriptor: typeof OWASP | typeof CWE; taxa: Taxon[] }[];

  constructor(checks: CheckResult[]) {
    const owasp = new Map<string, Taxon>();
    const cwe = new Map<string, Taxon>();
    for (const { taxonomy } of checks) {
      if (taxonomy?.owasp) {
        const { id, title, url } = taxonomy.owasp;
        owasp.set(id, { id, name: title, shortDescription: { text: `${id} ${title}` }, helpUri: url });
      }
      if (taxonomy?.cwe) {
        const { id, title, url } = taxonomy.cwe;
        // CWE's own SARIF taxonomy names its taxa by number: `287`.
        cwe.set(String(id), { id: String(id), name: title ?? `CWE-${id}`, shortDescription: { text: title ? `CWE-${id}: ${title}` : `CWE-${id}` }, helpUri: url });
      }
    }
    this.components = [
      { descriptor: OWASP, taxa: [...owasp.values()].sort((a, b) => categoryNumber(a.id) - categoryNumber(b.id)) },
      { descriptor: CWE, taxa: [...cwe.values()].sort((a, b) => Number(a.id) - Number(b.id)) },
    ].filter((c) => c.taxa.length > 0);
  }

  /** `run.taxonomies`, or undefined when no check is filed. */
  toolComponents() {
    if (this.components.length === 0) return undefined;
    return this.components.map(({ descriptor, taxa }) => ({ ...descriptor, isComprehensive: false, taxa }));
  }

  /** `driver.supportedTaxonomies`: which of the run's taxonomies the tool's rules refer to. */
  supported() {
    return this.components.length ? this.components.map(({ descriptor }, index) => ({ name: descriptor.name, index })) : undefined;
  }

  /** References to the taxa a check is filed under: its OWASP category, then its CWE. */
  references(taxonomy: CheckTaxonomy | undefined): TaxonReference[] {
    const refs: TaxonReference[] = [];
    const add = (componentName: string, id: string) => {
      const component = this.components.findIndex((c) => c.descriptor.name === componentName);
      const index = component < 0 ? -1 : this.components[component]!.taxa.findIndex((t) => t.id === id);
      if (index >= 0) refs.push({ id, index, toolComponent: { name: componentName, index: component } });
    };
    if (taxonomy?.owasp) add(OWASP.name, taxonomy.owasp.id);
    if (taxonomy?.cwe) add(CWE.name, String(taxonomy.cwe.id));
    return refs;
  }
}

/** Rule tags: the OWASP id (`API2:2023`), `CWE-<n>`, and `external/cwe/cwe-<nnn>`, the form code scanning shows as a CWE. */
export function taxonomyTags(taxonomy: CheckTaxonomy | undefined): string[] {
  const tags: string[] = [];
  if (taxonomy?.owasp) tags.push(taxonomy.owasp.id);
  if (taxonomy?.cwe) tags.push(`CWE-${taxonomy.cwe.id}`, `external/cwe/cwe-${String(taxonomy.cwe.id).padStart(3, '0')}`);
  return tags;
}
