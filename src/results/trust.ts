import type { RunTrust } from './model.js';

/** The trust of runs merged into one (shards): verification was off if it was off in any of them. */
export function mergeTrust(trusts: (RunTrust | undefined)[]): RunTrust | undefined {
  const given = trusts.filter((t): t is RunTrust => t !== undefined);
  if (given.length === 0) return undefined;
  const insecureBy = [...new Set(given.flatMap((t) => t.insecureBy ?? []))];
  const caFiles = [...new Set(given.flatMap((t) => t.caFiles ?? []))];
  return { insecure: given.some((t) => t.insecure), ...(insecureBy.length ? { insecureBy } : {}), ...(caFiles.length ? { caFiles } : {}) };
}
