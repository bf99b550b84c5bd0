import type { Policy } from '../../algorithms/types.js';

/**
 * One algorithm's Lua, generated per policy with the policy's constants written in, mirroring the TypeScript in
 * algorithms/ operation for operation (same expressions, same order) so both stores decide identically. In each
 * fragment `$` stands for the policy's suffix (`_1`, `_2`, ...) and `KEY` for its key; the state lives in locals
 * named by `state` (`a$`, `b$`, ...), read from and written back to one packed string per key.
 *
 * evaluate sets ok$, rem$, reset$, retry$, delay$; record updates the state locals; idleAt is an expression
 * (after record) for the TTL. An algorithm that keeps its state elsewhere (the sliding log's list) gives its own
 * load and save.
 */
export interface LuaAlgorithm {
  state: string[];
  evaluate(p: Policy): string;
  record(p: Policy): string;
  idleAt(p: Policy): string;
  load?(p: Policy): string;
  save?(p: Policy): string;
}

/** A number as a Lua literal that reads back as the same double (JavaScript prints the shortest such form). */
export function lit(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`cannot write ${n} into a limiter script`);
  return String(n);
}
