import type { BaselineProblem, BaselineSummary, CheckResult } from '../results/model.js';
import type { BaselineEntry } from './entry.js';
import { hasExpired, todayUtc } from './expiry.js';
import type { BaselineFile } from './load-baseline.js';
import { appliesToTarget, namesResult } from './match.js';
import { staleness } from './staleness.js';

/**
 * A loaded baseline, applied to one run: marks the failures its live entries accept, and afterwards says what
 * is wrong with it (expired, stale, or unable to accept a critical finding). Entries for another target take
 * no part in the run.
 */
export class Baseline {
  readonly file: string;
  private readonly entries: BaselineEntry[];

  /** `checkIds`: every check of the loaded scenarios, selected or not; an entry naming none of them is stale. */
  constructor(
    loaded: BaselineFile,
    target: string,
    private readonly checkIds: ReadonlySet<string>,
    private readonly today = todayUtc(),
  ) {
    this.file = loaded.file;
    this.entries = loaded.entries.filter((e) => appliesToTarget(e, target));
  }

  /** The result as every report shows it: marked suppressed when a live entry accepts its failure. */
  suppress(result: CheckResult): CheckResult {
    if (result.status !== 'failed') return result;
    const accepting = this.entries.filter((e) => namesResult(e, result) && !hasExpired(e, this.today) && this.mayAccept(e, result));
    // An entry for the case itself says more than one for its whole check.
    const entry = accepting.find((e) => e.id === result.id) ?? accepting[0];
    if (!entry) return result;
    return { ...result, suppressed: { reason: entry.reason, ...(entry.expires ? { expires: entry.expires } : {}), entry: entry.at } };
  }

  /**
   * After the run: how many failures were accepted, and each entry that fails it. `ranCheckIds` are the checks
   * this run was given (after --only, --tag, --shard): an entry for any other check is not judged stale.
   */
  summarize(results: CheckResult[], ranCheckIds: ReadonlySet<string>, interrupted: boolean): BaselineSummary {
    const problems: BaselineProblem[] = [];
    for (const entry of this.entries) {
      const problem = (kind: BaselineProblem['problem'], message: string) => problems.push({ problem: kind, id: entry.id, entry: entry.at, message });
      const named = results.filter((r) => namesResult(entry, r));
      if (hasExpired(entry, this.today)) {
        problem('expired', `${entry.id} expired on ${entry.expires}: fix the finding, or review the acceptance and give the entry a new date`);
        continue;
      }
      const refusedCritical = named.find((r) => r.status === 'failed' && !this.mayAccept(entry, r));
      if (refusedCritical) problem('critical', `${refusedCritical.id} is a critical finding: the entry accepts it only with allowCritical: true`);
      // An interrupted run did not run everything it planned: nothing can be called stale.
      const stale = interrupted ? undefined : staleness(entry, named, { known: this.checkIds, ran: ranCheckIds, results });
      if (stale) problem('stale', stale);
    }
    return { file: this.file, entries: this.entries.length, suppressed: results.filter((r) => r.suppressed).length, problems };
  }

  private mayAccept(entry: BaselineEntry, result: CheckResult): boolean {
    return result.severity !== 'critical' || entry.allowCritical;
  }
}

