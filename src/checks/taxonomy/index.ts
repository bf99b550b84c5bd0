import type { CheckTaxonomy } from '../../results/model.js';
import { cweEntry } from './cwe.js';
import { KIND_FILINGS, type Filing } from './filings.js';
import { owaspCategory, owaspIdOf } from './owasp.js';

/** A scenario's own filing of a check (`owasp:`, `cwe:`): each replaces the built-in one for all of its cases. */
export interface FilingOverride {
  owasp?: string;
  cwe?: number;
}

/**
 * The case name a result's id suffix stands for. Most suffixes are the case name; a case reported once per
 * instance adds the instance after a dash (`allowed-origin-2`, `url-v1`), so the longest case name it starts
 * with wins.
 */
export function caseNameOf(cases: Readonly<Record<string, unknown>>, suffix: string): string | undefined {
  if (Object.hasOwn(cases, suffix)) return suffix;
  return Object.keys(cases)
    .filter((name) => suffix.startsWith(`${name}-`))
    .sort((a, b) => b.length - a.length)[0];
}

/** The built-in filing of a kind's result: its case's, or the kind's own for a result without a case. */
export function builtInFiling(kind: string, caseSuffix: string | undefined): Filing | undefined {
  const filing = Object.hasOwn(KIND_FILINGS, kind) ? KIND_FILINGS[kind]! : undefined;
  if (!filing) return undefined;
  if (caseSuffix === undefined || !filing.cases) return filing.check;
  const name = caseNameOf(filing.cases, caseSuffix);
  return name === undefined ? filing.check : filing.cases[name];
}

/** What a result carries: the scenario's filing where it gives one, else the built-in one; undefined when neither. */
export function taxonomyOf(kind: string, caseSuffix: string | undefined, override: FilingOverride = {}): CheckTaxonomy | undefined {
  const builtIn = builtInFiling(kind, caseSuffix);
  const owasp = (override.owasp === undefined ? undefined : owaspIdOf(override.owasp)) ?? builtIn?.owasp;
  const cwe = override.cwe ?? builtIn?.cwe;
  if (owasp === undefined && cwe === undefined) return undefined;
  return { ...(owasp ? { owasp: owaspCategory(owasp) } : {}), ...(cwe === undefined ? {} : { cwe: cweEntry(cwe) }) };
}
