import type { CheckContext } from '../types.js';
import type { Caller } from './caller.js';

/**
 * Throws E_UNKNOWN_KEY / E_UNKNOWN_IDENTITY (the runner reports the check not run) for a caller the profile does
 * not define, before the check sends anything: never after it created an object it then could not test.
 */
export function assertCallersKnown(ctx: CheckContext, callers: Caller[]): void {
  for (const caller of callers) {
    const spec = { key: caller.key, identity: caller.identity };
    ctx.http.prepare(spec);
    ctx.http.identityFor(spec);
  }
}
