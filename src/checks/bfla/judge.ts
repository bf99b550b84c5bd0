import type { AssertionResult } from '../../results/model.js';
import { describeStatus, statusMatches } from '../http/expect-status.js';
import type { StatusExpectation } from '../http/spec.js';
import { is2xx } from '../objects/answer.js';
import { precondition } from '../objects/precondition.js';
import type { Verdict } from '../objects/verdict.js';

/** The caller's attempt: `DELETE /api/users/7` (or `POST … with X-HTTP-Method-Override: DELETE`) and its answer. */
export interface Attempt {
  line: string;
  status: number;
}

/** The admin's read after a DELETE attempt, when the spec gives one: its status, or why none came. */
export interface FollowUp {
  status?: number;
  failure?: string;
}

const gone = (status: number | undefined) => status === 404 || status === 410;
const readFailure = (f: FollowUp) => (f.status === undefined ? `got no answer (${f.failure ?? 'no answer'})` : `was answered ${f.status}`);

function followUpAssertion(followUp: FollowUp | undefined): AssertionResult[] {
  if (!followUp) return [];
  return [{ name: 'the object is still there', passed: is2xx(followUp.status), expected: "the admin's read answered 2xx", actual: followUp.status === undefined ? 'no answer' : String(followUp.status) }];
}

/** The caller sent the admin-only operation as is: it must be refused, and the object (if read) still be there. */
export function judgeDirect(attempt: Attempt, followUp: FollowUp | undefined, refused: StatusExpectation): Verdict {
  const assertions: AssertionResult[] = [
    { name: 'the caller is refused', passed: statusMatches(refused, attempt.status), expected: describeStatus(refused), actual: String(attempt.status) },
    ...followUpAssertion(followUp),
  ];
  const prefix = `the caller's ${attempt.line} was answered ${attempt.status}`;
  const deleted = gone(followUp?.status) ? ` and the admin's next read was ${followUp!.status}: the object was deleted` : '';
  if (assertions.every((a) => a.passed)) return { status: 'passed', message: `${prefix}: refused${followUp ? ", and the admin's next read still finds the object" : ''}`, assertions };
  if (is2xx(attempt.status)) return { status: 'failed', message: `${prefix} (expected ${describeStatus(refused)}): a caller without the scope performed an admin-only operation${deleted}`, assertions };
  if (!assertions[0]!.passed) return { status: 'failed', message: `${prefix}, not ${describeStatus(refused)}${deleted}`, assertions };
  if (gone(followUp?.status)) return { status: 'failed', message: `${prefix}, but the admin's next read was ${followUp!.status}: the operation was performed all the same`, assertions };
  return { status: 'errored', message: precondition(`${prefix}, and the admin's next read ${readFailure(followUp!)}: cannot tell whether the object is still there`), assertions };
}

/** The caller tunnelled the operation through another method: it must not be performed. */
export function judgeOverride(attempt: Attempt, followUp: FollowUp | undefined, success: StatusExpectation, method: string): Verdict {
  const assertions: AssertionResult[] = [
    { name: `not answered with the ${method}'s success status`, passed: !statusMatches(success, attempt.status), expected: `not ${describeStatus(success)}`, actual: String(attempt.status) },
    ...followUpAssertion(followUp),
  ];
  const prefix = `the caller's ${attempt.line} was answered ${attempt.status}`;
  if (assertions.every((a) => a.passed)) {
    return { status: 'passed', message: `${prefix}, not ${describeStatus(success)}: the override was not honoured${followUp ? ", and the admin's next read still finds the object" : ''}`, assertions };
  }
  if (gone(followUp?.status)) {
    return { status: 'failed', message: `${prefix} and the admin's next read was ${followUp!.status}: the override performed the admin-only ${method}`, assertions };
  }
  if (!assertions[0]!.passed) {
    const still = followUp && is2xx(followUp.status) ? " (though the admin's next read still finds the object)" : '';
    return { status: 'failed', message: `${prefix}, the ${method}'s success status: the override may have performed the admin-only ${method}${still}`, assertions };
  }
  return { status: 'errored', message: precondition(`${prefix}, and the admin's next read ${readFailure(followUp!)}: cannot tell whether the object is still there`), assertions };
}
