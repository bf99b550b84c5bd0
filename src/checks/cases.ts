import { SEVERITIES, type AssertionResult, type Exchange, type Severity } from '../results/model.js';
import type { JsonSchema } from '../scenario/schema.js';
import { judgeAssertions } from './outcomes.js';
import type { CheckOutcome } from './types.js';

/** One case of a matrix kind: its id suffix and a plain title. */
export interface CaseInfo {
  suffix: string;
  title: string;
  severity?: Severity;
}

/**
 * narrowToCases for a kind whose spec lists the cases to run in `field` (`cases:`, `probes:`): the list becomes the
 * selected cases. `nameOf` maps a case's id suffix to the name the list takes, where they differ (url-2 -> url).
 */
export function narrowListed<Spec extends object>(field: string, nameOf: (suffix: string) => string = (suffix) => suffix) {
  return (spec: Spec, suffixes: readonly string[]): Spec => ({ ...spec, [field]: [...new Set(suffixes.map(nameOf))] });
}

/** `severities:` in a matrix kind's spec: case name -> severity, overriding the case's default. */
export function severitiesSchema(caseNames: readonly string[]): JsonSchema {
  return {
    type: 'object',
    description: 'Severity per case, overriding the default (case name -> `info`, `low`, `medium`, `high` or `critical`).',
    examples: [{ [caseNames[0]!]: 'low' }],
    additionalProperties: false,
    properties: Object.fromEntries(caseNames.map((name) => [name, { enum: [...SEVERITIES], description: `The severity of a failed \`${name}\` case.` }])),
  };
}

export function caseSkipped(info: CaseInfo, reason: string, exchanges: Exchange[] = []): CheckOutcome {
  return { idSuffix: info.suffix, title: info.title, severity: info.severity, status: 'skipped', message: reason, evidence: { exchanges } };
}

export function caseErrored(info: CaseInfo, message: string, exchanges: Exchange[] = []): CheckOutcome {
  const transport = exchanges.find((e) => e.transport)?.transport?.class;
  return { idSuffix: info.suffix, title: info.title, severity: info.severity, status: 'errored', message, transport, evidence: { exchanges } };
}

/** A case judged by its assertions (see judgeAssertions), labelled as the case. */
export function caseFromAssertions(
  info: CaseInfo,
  assertions: AssertionResult[],
  exchanges: Exchange[],
  passMessage: string,
  extra: { notes?: string[]; data?: Record<string, unknown> } = {},
): CheckOutcome {
  return { ...judgeAssertions(assertions, { exchanges, ...extra }, passMessage), idSuffix: info.suffix, title: info.title, severity: info.severity };
}

/** The first exchange that failed below HTTP, for an errored case. */
export function transportFailure(exchanges: Exchange[]): Exchange | undefined {
  return exchanges.find((e) => e.transport);
}

export function describeTransport(exchange: Exchange): string {
  const t = exchange.transport!;
  return `${exchange.request.method} ${new URL(exchange.request.url).pathname}: ${t.class}: ${t.message} (${t.code})`;
}

