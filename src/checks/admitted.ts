import { statusMatches } from './http/expect-status.js';
import type { StatusExpectation } from './http/spec.js';

/**
 * Whether a status counts as admitted by a limiter or a load run: 2xx unless `admittedStatus` says otherwise. A
 * redirect is not an admission: a target that answers everything with 307 served nothing.
 */
export function admittedBy(admittedStatus?: StatusExpectation): (status: number) => boolean {
  return admittedStatus === undefined ? (status) => status >= 200 && status < 300 : (status) => statusMatches(admittedStatus, status);
}
