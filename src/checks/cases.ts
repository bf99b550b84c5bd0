import { SEVERITIES, type AssertionResult, type Exchange, type Severity } from '../results/model.js';
import type { JsonSchema } from '../scenario/schema.js';
import type { CheckOutcome } from './types.js';

/** One case of a matrix kind: its id suffix and a plain title. */
export interface CaseInfo {
  suffix: string;
  title: string;
  severity?: Severity;
}

/** `severities:` in a matrix kind's spec: case name -> severity, overriding the case's default. */
export function severitiesSchema(caseNames: readonly string[]): JsonSchema {
  return {
    type: 'object',
    description: 'Severity per case, overriding the default (case name -> info, low, medium, high or critical).',
    additionalProperties: false,
    properties: Object.fromEntries(caseNames.map((name) => [name, { enum: [...SEVERITIES] }])),
  };
}

export function caseSkipped(info: CaseInfo, reason: string, exchanges: Exchange[] = []): CheckOutcome {
  return { idSuffix: info.suffix, title: info.title, severity: info.severity, status: 'skipped', message: reason, evidence: { exchanges } };
}

export function caseErrored(info: CaseInfo, message: string, exchanges: Exchange[] = []): CheckOutcome {
  const transport = exchanges.find((e) => e.transport)?.transport?.class;
  return { idSuffix: info.suffix, title: info.title, severity: info.severity, status: 'errored', message, transport, evidence: { exchanges } };
}

/** Passed when every assertion holds; failed otherwise, naming the first that did not. */
export function caseFromAssertions(
  info: CaseInfo,
  assertions: AssertionResult[],
  exchanges: Exchange[],
  passMessage: string,
  extra: { notes?: string[]; data?: Record<string, unknown> } = {},
): CheckOutcome {
  const failures = assertions.filter((a) => !a.passed);
  const base = { idSuffix: info.suffix, title: info.title, severity: info.severity, assertions, evidence: { exchanges, ...extra } };
  if (failures.length === 0) return { ...base, status: 'passed', message: passMessage };
  const [first] = failures;
  const more = failures.length > 1 ? ` (+${failures.length - 1} more)` : '';
  return { ...base, status: 'failed', message: `${first!.name}: expected ${clip(first!.expected ?? 'to hold')}, got ${clip(first!.actual ?? 'something else')}${more}` };
}

/** The first exchange that failed below HTTP, for an errored case. */
export function transportFailure(exchanges: Exchange[]): Exchange | undefined {
  return exchanges.find((e) => e.transport);
}

export function describeTransport(exchange: Exchange): string {
  const t = exchange.transport!;
  return `${exchange.request.method} ${new URL(exchange.request.url).pathname}: ${t.class}: ${t.message} (${t.code})`;
}

function clip(text: string, max = 140): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
