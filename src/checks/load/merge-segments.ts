import { LoadTally } from '../../engine/load-tally.js';
import type { LoadOutcomeRun, LoadShare } from '../../engine/load-engine.js';
import type { CheckResult } from '../../results/model.js';
import { remediationOf } from '../remediation/index.js';
import { judgeLoad } from './judge.js';
import type { SegmentPart } from './segment-outcome.js';

/** The part a segment's load check kept, if it is one. */
export function segmentPartOf(check: CheckResult): SegmentPart | undefined {
  const part = (check.evidence.data as { segmentPart?: SegmentPart } | undefined)?.segmentPart;
  return part && typeof part.segment === 'string' && part.tally && part.judging ? part : undefined;
}

const SEVERITY_OF_STOP: LoadOutcomeRun['stoppedBy'][] = ['interrupted', 'deadline', 'aborted', 'worker-lost', 'amount', 'duration'];

/**
 * One load check from its segments' parts: tallies merged exactly, the longest duration, the gravest way a part
 * stopped, then judged as a whole run is. A segment whose check carries no part (its preflight failed, so nothing
 * was measured) decides the result: the merged load is not the one asked for.
 */
export function mergeLoadSegments(parts: { file: string; check: CheckResult }[]): CheckResult {
  const [first] = parts;
  const unmeasured = parts.find((p) => !segmentPartOf(p.check));
  if (unmeasured) {
    return { ...unmeasured.check, message: `${unmeasured.check.message} (in ${unmeasured.file}: that segment measured nothing, so the merged load is not the one asked for)` };
  }
  const segments = parts.map((p) => ({ file: p.file, check: p.check, part: segmentPartOf(p.check)! })).sort((a, b) => Number(a.part.segment.split('/')[0]) - Number(b.part.segment.split('/')[0]));
  const shares: LoadShare[] = segments.map(({ part }) => ({ worker: `segment ${part.segment}`, segment: part.segment, sourceAddress: part.sourceAddress, responses: Object.values(part.tally.statuses).reduce((n, s) => n + s.count, 0), tally: part.tally }));
  const stoppedBy = segments.map((s) => s.part.stoppedBy).sort((a, b) => SEVERITY_OF_STOP.indexOf(a) - SEVERITY_OF_STOP.indexOf(b))[0]!;
  const run: LoadOutcomeRun = {
    tally: LoadTally.fromData(...segments.map((s) => s.part.tally)),
    durationMs: Math.max(...segments.map((s) => s.part.durationMs)),
    startedAt: segments.map((s) => s.part.startedAt).sort()[0]!,
    stoppedBy,
    shares,
    notes: [`merged from ${segments.length} segments; they started ${startSpread(segments.map((s) => s.part.startedAt))} apart (without a coordinator, segments start when their jobs do)`],
  };
  const outcome = judgeLoad(run, segments[0]!.part.judging, first!.check.evidence.exchanges ?? []);
  const status = outcome.status;
  return {
    ...first!.check,
    status,
    message: outcome.message,
    assertions: outcome.assertions,
    evidence: outcome.evidence,
    remediation: status === 'failed' ? remediationOf(first!.check.kind, first!.check.case) : undefined,
    durationMs: Math.max(...segments.map((s) => s.check.durationMs)),
  };
}

function startSpread(starts: string[]): string {
  const times = starts.map((s) => Date.parse(s));
  return `${((Math.max(...times) - Math.min(...times)) / 1000).toFixed(1)}s`;
}
