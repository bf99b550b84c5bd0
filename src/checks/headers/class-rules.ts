import { DEFAULT_RULES, type HeaderRules } from './rules.js';
import type { ResponseClass } from './spec.js';

/**
 * What `classes:` can name: the family of an answer's status (success 2xx, client-error 4xx, server-error 5xx),
 * rate-limited (a 429, more specific than client-error), and the cases that provoke an answer on purpose
 * (unauthorized, not-found), most specific of all.
 */
export const RULE_CLASSES = ['success', 'client-error', 'server-error', 'rate-limited', 'unauthorized', 'not-found'] as const;
export type RuleClass = (typeof RULE_CLASSES)[number];

/** The rules a class may change: those judged on each response (HSTS is judged on the success response only). */
export interface ClassRules extends Partial<HeaderRules> {
  noVersionLeak?: boolean;
}

export interface ResolvedRules {
  rules: HeaderRules;
  noVersionLeak: boolean;
  /** The `classes:` entries that changed something, most general first, e.g. `classes.client-error (framing: false)`. */
  applied: string[];
}

function statusFamily(status: number): RuleClass | undefined {
  if (status >= 200 && status < 300) return 'success';
  if (status >= 400 && status < 500) return 'client-error';
  if (status >= 500 && status < 600) return 'server-error';
  return undefined;
}

/** The classes an answer belongs to, most general first: its status family, rate-limited for a 429, then its case. */
export function classesOf(status: number, provokedAs: ResponseClass): RuleClass[] {
  const out: RuleClass[] = [];
  const family = statusFamily(status);
  if (family) out.push(family);
  if (status === 429) out.push('rate-limited');
  if (!out.includes(provokedAs)) out.push(provokedAs);
  return out;
}

const describeValue = (value: unknown) => (Array.isArray(value) ? `[${value.join(', ')}]` : String(value));

/**
 * The rules for one answer: `require` for every response, then each class it belongs to overriding what it names,
 * the most specific last.
 */
export function resolveRules(
  base: Partial<HeaderRules> & { noVersionLeak?: boolean },
  classes: Partial<Record<RuleClass, ClassRules>> | undefined,
  status: number,
  provokedAs: ResponseClass,
): ResolvedRules {
  const { noVersionLeak = true, ...rules } = base;
  const resolved: ResolvedRules = { rules: { ...DEFAULT_RULES, ...rules }, noVersionLeak, applied: [] };
  for (const cls of classesOf(status, provokedAs)) {
    const override = classes?.[cls];
    if (!override || Object.keys(override).length === 0) continue;
    const { noVersionLeak: leak, ...classRules } = override;
    resolved.rules = { ...resolved.rules, ...classRules };
    if (leak !== undefined) resolved.noVersionLeak = leak;
    resolved.applied.push(`classes.${cls} (${Object.entries(override).map(([k, v]) => `${k}: ${describeValue(v)}`).join(', ')})`);
  }
  return resolved;
}
