import type { CheckRemediation } from '../../results/model.js';
import { caseNameOf } from '../taxonomy/index.js';
import { KIND_REMEDIATIONS } from './table.js';

/** What to change when a result of this kind and case fails: its case's remediation, else its kind's. */
export function remediationOf(kind: string, caseSuffix: string | undefined): CheckRemediation | undefined {
  const entry = Object.hasOwn(KIND_REMEDIATIONS, kind) ? KIND_REMEDIATIONS[kind]! : undefined;
  if (!entry) return undefined;
  if (caseSuffix === undefined || !entry.cases) return entry.check;
  const name = caseNameOf(entry.cases, caseSuffix);
  return (name === undefined ? undefined : entry.cases[name]) ?? entry.check;
}
