import type { CheckRemediation, RemediationPlace } from '../../results/model.js';

/**
 * What to change for one kind's failed results, keyed like its filing (taxonomy/filings.ts): `cases` per case
 * name, `check` for a result without a case.
 */
export interface KindRemediation {
  check?: CheckRemediation;
  cases?: Readonly<Record<string, CheckRemediation>>;
}

type Settings = Partial<Record<RemediationPlace, string>>;

/** A remediation: what to change, and the usual setting where a server or gateway has one. */
export function fix(summary: string, settings: Settings = {}): CheckRemediation {
  const listed = Object.entries(settings).map(([place, setting]) => ({ place: place as RemediationPlace, setting }));
  return listed.length ? { summary, settings: listed } : { summary };
}
