import { admittedCount } from '../observation.js';
import { sampleExchanges } from '../session.js';
import { judged, type ProbeResult, type ProbeRun } from './context.js';

/**
 * A fresh client bursts (pipelined on one connection, so one server process sees it) until well past the limit:
 * what it admits is the limit it really enforces.
 */
export async function discovery(run: ProbeRun): Promise<ProbeResult> {
  const client = await run.session.freshClient('discovery');
  const sent = run.limit * 2 + 5;
  const burst = await client.burst(sent, { label: 'discovery burst' });
  const admitted = admittedCount(burst);
  const refused = burst.filter((o) => o.refused).length;
  const other = burst.filter((o) => !o.admitted && !o.refused);
  const assertions = [
    { name: 'admitted in a burst', passed: Math.abs(admitted - run.limit) <= run.tolerance, expected: `${run.limit} (the declared limit, ± ${run.tolerance})`, actual: `${admitted} of ${sent}` },
    { name: 'refused beyond the limit', passed: refused > 0, expected: 'refusals once the limit is used up', actual: refused ? `${refused} refused` : `none refused${other.length ? ` (${other.length} answered ${other[0]!.status})` : ''}` },
  ];
  return judged(assertions, sampleExchanges(burst), `a burst of ${sent} admitted ${admitted}, the declared limit ${run.limit}, and refused ${refused}`, {
    data: { sent, admitted, refused, otherStatuses: other.map((o) => o.status) },
  });
}
