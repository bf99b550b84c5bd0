import type { CheckResult, TransportClass, TransportEvidence } from './model.js';

/** How every result of a run stopped because its target could not be reached begins. */
export const UNREACHABLE_PREFIX = 'not run: the target could not be reached';

/** The transport failures that mean nothing is there to answer: no listener on the port, no such host. */
export const NOTHING_THERE: ReadonlySet<TransportClass> = new Set(['refused', 'dns']);

/** The one reason every check of such a run gives, the first failure included. */
export function unreachableReason(transport: TransportEvidence): string {
  const where = transport.class === 'dns' ? 'the first failed name lookup' : 'the first refused connection';
  return `${UNREACHABLE_PREFIX} (${transport.class}: ${transport.message}); gauntlet stopped at ${where} instead of trying every check`;
}

export function isUnreachableResult(result: CheckResult): boolean {
  return result.status === 'errored' && result.transport !== undefined && result.message.startsWith(UNREACHABLE_PREFIX);
}
