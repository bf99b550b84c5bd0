/** A Strict-Transport-Security value, parsed per RFC 6797 §6.1. */
export interface HstsPolicy {
  maxAge?: number;
  includeSubDomains: boolean;
  preload: boolean;
  /** Why the value is not valid, when it is not. */
  problems: string[];
}

const DIRECTIVE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*(?:=\s*("(?:[^"\\]|\\.)*"|[!#$%&'*+.^_`|~0-9A-Za-z-]+))?$/;

/**
 * Directives separated by `;`, names case-insensitive, each at most once; max-age required, a number of
 * seconds (a quoted string allowed). Unknown directives are ignored, as browsers do. A comma means two
 * headers were folded into one, which browsers reject.
 */
export function parseHsts(value: string): HstsPolicy {
  const policy: HstsPolicy = { includeSubDomains: false, preload: false, problems: [] };
  if (value.includes(',')) policy.problems.push('contains a comma: more than one value');
  const seen = new Set<string>();
  for (const part of value.split(';').map((p) => p.trim())) {
    if (part === '') continue;
    const match = DIRECTIVE.exec(part);
    if (!match) {
      policy.problems.push(`'${part}' is not a directive`);
      continue;
    }
    const name = match[1]!.toLowerCase();
    const raw = match[2]?.replace(/^"|"$/g, '');
    if (seen.has(name)) policy.problems.push(`directive ${name} appears twice`);
    seen.add(name);
    if (name === 'max-age') {
      if (raw === undefined || !/^\d+$/.test(raw)) policy.problems.push(`max-age must be a number of seconds, got '${raw ?? ''}'`);
      else policy.maxAge = Number(raw);
    } else if (name === 'includesubdomains') {
      if (raw !== undefined) policy.problems.push('includeSubDomains takes no value');
      policy.includeSubDomains = true;
    } else if (name === 'preload') {
      policy.preload = true;
    }
  }
  if (!seen.has('max-age')) policy.problems.push('max-age is missing');
  return policy;
}
