import type { AssertionResult, CheckStatus } from '../../results/model.js';

/** A case's verdict, before it is dressed as an outcome (id suffix, title, evidence). */
export interface Verdict {
  status: CheckStatus;
  message: string;
  assertions: AssertionResult[];
}
