import type { AssertionResult, Evidence, Exchange } from '../results/model.js';
import type { CheckOutcome } from './types.js';
import { clip } from '../util/clip.js';

/** A check that could not get an HTTP answer: errored, with the transport class kept for the exit code. */
export function transportErrored(exchange: Exchange, extra: Partial<CheckOutcome> = {}): CheckOutcome {
  const transport = exchange.transport!;
  return {
    status: 'errored',
    message: `${transport.class}: ${transport.message} (${transport.code})`,
    transport: transport.class,
    evidence: { exchanges: [exchange] },
    ...extra,
  };
}

/**
 * Passed when every assertion holds; failed otherwise, naming the first that did not (the rest are in the
 * assertions table). Every kind judges its cases through this one function, so messages read alike.
 */
export function judgeAssertions(assertions: AssertionResult[], evidence: Evidence, passMessage: string): CheckOutcome {
  const failures = assertions.filter((a) => !a.passed);
  if (failures.length === 0) return { status: 'passed', message: passMessage, assertions, evidence };
  const [first] = failures;
  const more = failures.length > 1 ? ` (+${failures.length - 1} more)` : '';
  const message = `${first!.name}: expected ${clip(first!.expected ?? 'to hold', 140)}, got ${clip(first!.actual ?? 'something else', 140)}${more}`;
  return { status: 'failed', message, assertions, evidence };
}

export function fromAssertions(assertions: AssertionResult[], exchange: Exchange, passMessage: string): CheckOutcome {
  return judgeAssertions(assertions, { exchanges: [exchange] }, passMessage);
}


