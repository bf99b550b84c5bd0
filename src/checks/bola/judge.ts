import type { AssertionResult } from '../../results/model.js';
import { describeStatus, statusMatches } from '../http/expect-status.js';
import type { StatusExpectation } from '../http/spec.js';
import { is2xx } from '../objects/answer.js';
import { precondition } from '../objects/precondition.js';
import type { Verdict } from '../objects/verdict.js';

/** What the intruder's request was and how it was answered (it did get an HTTP answer). */
export interface Attempt {
  /** `PATCH /api/notes/7` */
  line: string;
  method: string;
  status: number;
}

/** The owner's read after the attempt: its status (undefined: no answer), and what differs from before. */
export interface Reread {
  status?: number;
  /** Why there is no status (a transport failure). */
  failure?: string;
  changes?: string[];
}

const gone = (status: number | undefined) => status === 404 || status === 410;

function refusal(attempt: Attempt, refused: StatusExpectation): AssertionResult {
  return { name: 'the intruder is refused', passed: statusMatches(refused, attempt.status), expected: describeStatus(refused), actual: String(attempt.status) };
}

/**
 * A 401 says the intruder's credentials were not accepted at all: nothing was learnt about object-level checks,
 * unless the scenario counts a 401 as the refusal.
 */
function unauthenticated(attempt: Attempt, refused: StatusExpectation, assertions: AssertionResult[]): Verdict | undefined {
  if (attempt.status !== 401 || statusMatches(refused, 401)) return undefined;
  const message = precondition(
    `the intruder's ${attempt.line} was answered 401: its credentials were not accepted at all, which says nothing about access to another owner's object; give an intruder the API accepts (or add 401 to refusedStatus)`,
  );
  return { status: 'errored', message, assertions };
}

/** The intruder read the owner's object: it must be refused. */
export function judgeRead(attempt: Attempt, refused: StatusExpectation): Verdict {
  const assertions = [refusal(attempt, refused)];
  if (assertions[0]!.passed) return { status: 'passed', message: `the intruder's ${attempt.line} was answered ${attempt.status}: refused`, assertions };
  const odd = unauthenticated(attempt, refused, assertions);
  if (odd) return odd;
  const message = is2xx(attempt.status)
    ? `the intruder's ${attempt.line} was answered ${attempt.status} (expected ${describeStatus(refused)}): another owner's object was read`
    : `the intruder's ${attempt.line} was answered ${attempt.status}, not ${describeStatus(refused)}`;
  return { status: 'failed', message, assertions };
}

/** The intruder tried to change the owner's object: refused, and the owner's next read shows it unchanged. */
export function judgeUpdate(attempt: Attempt, reread: Reread, refused: StatusExpectation): Verdict {
  const refusedAssertion = refusal(attempt, refused);
  const changes = reread.changes ?? [];
  const readable = is2xx(reread.status);
  const unchanged: AssertionResult = {
    name: "the owner's object is unchanged",
    passed: readable && changes.length === 0,
    expected: 'the owner reads it as before',
    actual: !readable ? readFailure(reread) : changes.length ? changes.join('; ') : 'as before',
  };
  const assertions = [refusedAssertion, unchanged];
  const prefix = `the intruder's ${attempt.line} was answered ${attempt.status}`;
  if (refusedAssertion.passed && unchanged.passed) return { status: 'passed', message: `${prefix} and the owner's next read shows the object unchanged`, assertions };
  if (!readable && !is2xx(attempt.status)) {
    return { status: 'errored', message: precondition(`${prefix}, and the owner's next read ${readFailure(reread)}: cannot tell whether the object changed`), assertions };
  }
  if (changes.length) {
    const how = refusedAssertion.passed ? ', but' : ' and';
    const end = refusedAssertion.passed ? 'the object was changed all the same' : "another owner's object was changed";
    return { status: 'failed', message: `${prefix}${how} the owner's next read shows ${changes.join('; ')}: ${end}`, assertions };
  }
  const odd = unauthenticated(attempt, refused, assertions);
  if (odd) return odd;
  const after = readable ? "the owner's next read shows the object unchanged" : `the owner's next read ${readFailure(reread)}`;
  return { status: 'failed', message: `${prefix}, not ${describeStatus(refused)} (${after})`, assertions };
}

/** The intruder tried to delete the owner's object: refused, and the owner's next read still finds it. */
export function judgeDelete(attempt: Attempt, reread: Reread, refused: StatusExpectation): Verdict {
  const refusedAssertion = refusal(attempt, refused);
  const still: AssertionResult = { name: "the owner's object is still there", passed: is2xx(reread.status), expected: "the owner's read answered 2xx", actual: reread.status === undefined ? 'no answer' : String(reread.status) };
  const assertions = [refusedAssertion, still];
  const prefix = `the intruder's ${attempt.line} was answered ${attempt.status}`;
  if (refusedAssertion.passed && still.passed) return { status: 'passed', message: `${prefix} and the owner's next read still finds the object`, assertions };
  if (gone(reread.status)) {
    const end = refusedAssertion.passed ? `, but the owner's next read was ${reread.status}: the object was deleted all the same` : ` and the owner's next read was ${reread.status}: another owner's object was deleted`;
    return { status: 'failed', message: `${prefix}${end}`, assertions };
  }
  if (!still.passed && !is2xx(attempt.status)) {
    return { status: 'errored', message: precondition(`${prefix}, and the owner's next read ${readFailure(reread)}: cannot tell whether the object is still there`), assertions };
  }
  const odd = unauthenticated(attempt, refused, assertions);
  if (odd) return odd;
  const after = still.passed ? "the owner's next read still finds the object" : `the owner's next read ${readFailure(reread)}`;
  return { status: 'failed', message: `${prefix}, not ${describeStatus(refused)} (${after})`, assertions };
}

function readFailure(reread: Reread): string {
  return reread.status === undefined ? `got no answer (${reread.failure ?? 'no answer'})` : `was answered ${reread.status}`;
}
