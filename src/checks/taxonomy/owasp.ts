import type { CheckTaxonomy } from '../../results/model.js';

/**
 * The OWASP API Security Top 10 (2023), as published at https://owasp.org/API-Security/editions/2023/en/0x11-t10/.
 * Scenarios name a category by its short id (`API2`); results carry the full one (`API2:2023`).
 */
export const OWASP_API_TOP_10 = [
  { id: 'API1', title: 'Broken Object Level Authorization', page: '0xa1-broken-object-level-authorization' },
  { id: 'API2', title: 'Broken Authentication', page: '0xa2-broken-authentication' },
  { id: 'API3', title: 'Broken Object Property Level Authorization', page: '0xa3-broken-object-property-level-authorization' },
  { id: 'API4', title: 'Unrestricted Resource Consumption', page: '0xa4-unrestricted-resource-consumption' },
  { id: 'API5', title: 'Broken Function Level Authorization', page: '0xa5-broken-function-level-authorization' },
  { id: 'API6', title: 'Unrestricted Access to Sensitive Business Flows', page: '0xa6-unrestricted-access-to-sensitive-business-flows' },
  { id: 'API7', title: 'Server Side Request Forgery', page: '0xa7-server-side-request-forgery' },
  { id: 'API8', title: 'Security Misconfiguration', page: '0xa8-security-misconfiguration' },
  { id: 'API9', title: 'Improper Inventory Management', page: '0xa9-improper-inventory-management' },
  { id: 'API10', title: 'Unsafe Consumption of APIs', page: '0xaa-unsafe-consumption-of-apis' },
] as const;

export type OwaspId = (typeof OWASP_API_TOP_10)[number]['id'];

export const OWASP_EDITION = '2023';
export const OWASP_IDS: readonly OwaspId[] = OWASP_API_TOP_10.map((c) => c.id);

/** What a scenario may write for `owasp:`: the short id, or the full one as reports show it. */
export const OWASP_SCENARIO_VALUES: readonly string[] = [...OWASP_IDS, ...OWASP_IDS.map((id) => `${id}:${OWASP_EDITION}`)];

export function owaspCategory(id: OwaspId): NonNullable<CheckTaxonomy['owasp']> {
  const entry = OWASP_API_TOP_10.find((c) => c.id === id)!;
  return { id: `${id}:${OWASP_EDITION}`, title: entry.title, url: `https://owasp.org/API-Security/editions/${OWASP_EDITION}/en/${entry.page}/` };
}

/** `API2` or `API2:2023` -> `API2`; anything else -> undefined. */
export function owaspIdOf(text: string): OwaspId | undefined {
  const short = text.endsWith(`:${OWASP_EDITION}`) ? text.slice(0, -OWASP_EDITION.length - 1) : text;
  return OWASP_IDS.find((id) => id === short);
}
