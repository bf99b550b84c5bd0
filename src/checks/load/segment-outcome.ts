import type { LoadOutcomeRun } from '../../engine/load-engine.js';
import type { TallyData } from '../../engine/load-tally.js';
import type { Exchange } from '../../results/model.js';
import { formatSegment } from '../../engine/load-segment.js';
import type { CheckOutcome } from '../types.js';
import { judgeLoad, type LoadJudging } from './judge.js';

/** What a segment's report keeps of its part of a load, so `report merge` can judge the whole. No secrets. */
export interface SegmentPart {
  segment: string;
  judging: LoadJudging;
  tally: TallyData;
  durationMs: number;
  startedAt: string;
  stoppedBy: LoadOutcomeRun['stoppedBy'];
  sourceAddress?: string;
}

/**
 * One segment of a load proves nothing alone: a third of the rate is not the rate asked for. Its check is reported
 * skipped, with what it measured, and judged by `report merge` of every segment; only a part that could not
 * measure (no answer, stalled, interrupted) is an error already.
 */
export function segmentOutcome(run: LoadOutcomeRun, judging: LoadJudging, preflight: Exchange): CheckOutcome {
  const segment = formatSegment(run.segment!);
  const alone = judgeLoad(run, judging, [preflight]);
  const part: SegmentPart = { segment, judging, tally: run.tally.toData(), durationMs: run.durationMs, startedAt: run.startedAt, stoppedBy: run.stoppedBy, sourceAddress: run.shares?.[0]?.sourceAddress };
  const evidence = { ...alone.evidence, data: { ...alone.evidence.data, segmentPart: part } };
  const couldNotMeasure = run.stoppedBy === 'interrupted' || run.stoppedBy === 'deadline' || run.tally.count === run.tally.statusCounts().get(0) || run.tally.count === 0;
  if (couldNotMeasure) return { ...alone, evidence };
  return {
    status: 'skipped',
    message: `measured segment ${segment} of the load: ${run.tally.count} responses in ${(run.durationMs / 1000).toFixed(1)}s; judged only on the whole, by gauntlet report merge of all ${run.segment!.count} segments`,
    evidence,
  };
}
