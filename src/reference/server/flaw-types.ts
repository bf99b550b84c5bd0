/**
 * A named way for the reference server to misbehave. Each names the built-in checks expected to catch it, and
 * only those: `gauntlet demo --flaw NAME` must fail exactly that set, which proves both the flaw and the checks.
 */
export interface Flaw {
  name: string;
  description: string;
  /**
   * Check ids (as in results, including a case suffix) of the demo's built-in scenarios that must fail with this
   * flaw on. Empty: no built-in check sees it (the demo test skips it, and caughtByOpenApi should name the checks).
   */
  caughtBy: string[];
  /**
   * Glob patterns of the check ids, in the audit `gauntlet init --openapi` writes from the server's /openapi.json,
   * that must fail with this flaw on.
   */
  caughtByOpenApi?: string[];
  /**
   * Checks that cannot conclude under this flaw, because what they must observe never happens (a limiter that
   * never refuses a client gives the probes that need a limited client nothing to judge): they must end errored,
   * never passed.
   */
  inconclusive?: string[];
  /**
   * The flaw only shows over this transport (HSTS means nothing on plain HTTP). Against a server without it,
   * the checks in caughtBy are skipped with that reason instead of failing.
   */
  observableOver?: 'https';
}
