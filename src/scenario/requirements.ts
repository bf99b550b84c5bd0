import { didYouMean } from '../util/did-you-mean.js';
import type { TargetProfile } from './types.js';

/**
 * What a check may require of the target profile: a variable, a key, a client identity or a rate limit by name,
 * a signing secret, or an HTTPS target. A check whose requirements are not met does not fit the target: it is
 * skipped, saying what to add, instead of misfiring (the built-in scenarios run against any API this way).
 */
export const REQUIREMENT_PATTERN = '^(https|signing|(vars|keys|identities|rateLimits)\\.[A-Za-z0-9_.-]+)$';

/** The requirements the profile (with the run's --var values) does not meet, in the order written. */
export function unmetRequirements(requires: readonly string[] | undefined, profile: TargetProfile, vars: Readonly<Record<string, unknown>> = {}): string[] {
  return (requires ?? []).filter((requirement) => !met(requirement, profile, vars));
}

function met(requirement: string, profile: TargetProfile, vars: Readonly<Record<string, unknown>>): boolean {
  if (requirement === 'https') return profile.baseUrl.startsWith('https:');
  if (requirement === 'signing') return profile.extensions.signing !== undefined;
  const [section, ...rest] = requirement.split('.');
  const name = rest.join('.');
  if (section === 'vars') return name in profile.vars || name in vars;
  if (section === 'keys') return profile.keys.has(name);
  if (section === 'identities') return profile.tls.identities.has(name);
  if (section === 'rateLimits') return name in ((profile.extensions.rateLimits as Record<string, unknown> | undefined) ?? {});
  return false;
}

/** The skip reason of a check that does not fit: what the profile lacks (a near name it has, if any), and how to give it. */
export function unmetReason(unmet: readonly string[], profile?: TargetProfile): string {
  const inProfile = unmet.filter((r) => r !== 'https').map((r) => (r === 'signing' ? 'a signing section' : withSuggestion(r, profile)));
  const parts = [
    ...(unmet.includes('https') ? ['an https:// target (this one is plain HTTP)'] : []),
    ...(inProfile.length ? [`${inProfile.join(', ')} in the target profile (gauntlet init --target <url> writes one to fill in)`] : []),
  ];
  return `not run: it needs ${parts.join(', and ')}`;
}

/** `rateLimits.search (did you mean rateLimits.serach?)`: a requirement beside the profile's nearest name. */
function withSuggestion(requirement: string, profile: TargetProfile | undefined): string {
  if (!profile) return requirement;
  const [section, ...rest] = requirement.split('.');
  const names: Record<string, Iterable<string>> = {
    vars: Object.keys(profile.vars),
    keys: profile.keys.keys(),
    identities: profile.tls.identities.keys(),
    rateLimits: Object.keys((profile.extensions.rateLimits as Record<string, unknown> | undefined) ?? {}),
  };
  const suggestion = section && names[section] ? didYouMean(rest.join('.'), [...names[section]]) : undefined;
  return suggestion ? `${requirement} (did you mean ${section}.${suggestion}?)` : requirement;
}

/** The variables a check's requirements name: a reference to one of them is not undefined, just not yet known. */
export function requiredVars(requires: readonly string[] | undefined): Set<string> {
  return new Set((requires ?? []).filter((r) => r.startsWith('vars.')).map((r) => r.slice(5)));
}
