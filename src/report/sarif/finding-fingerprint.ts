import { createHash } from 'node:crypto';
import type { CheckResult } from '../../results/model.js';

/** The name of gauntlet's partial fingerprint; the version changes whenever what goes into it does. */
export const FINDING_FINGERPRINT = 'gauntletFinding/v1';

/**
 * The target as it names one API: scheme, host and port as URL parsing normalises them, and the base path without
 * a trailing slash. User info, query and fragment say nothing about which API it is, and user info may be a secret.
 */
export function targetIdentity(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, '')}`;
}

/**
 * What code scanning matches a finding across runs by: the target, the rule and the check id. All three come from
 * the scenario as written and the command line, never from a value captured or made up during the run, so the
 * same finding on the same target keeps its fingerprint and the same finding on another target gets its own.
 */
export function findingFingerprint(target: string, ruleId: string, check: Pick<CheckResult, 'id'>): string {
  return createHash('sha256').update(`${targetIdentity(target)}\n${ruleId}\n${check.id}`).digest('hex').slice(0, 32);
}
