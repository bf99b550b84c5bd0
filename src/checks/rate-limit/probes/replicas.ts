import { admittedCount } from '../observation.js';
import { sampleExchanges } from '../session.js';
import { judged, skipped, type ProbeResult, type ProbeRun } from './context.js';
import { requireSeen, tally } from './precondition.js';

/**
 * Replicas: the profile lists several base URLs that claim one shared limit. A burst from one client spread
 * over all of them must still be admitted within the limit; the per-replica split is reported.
 */
export async function replicas(run: ProbeRun): Promise<ProbeResult> {
  if (run.replicas.length === 0) return skipped('the profile lists no replicas (replicas:), so there is no shared limit to test');
  const client = await run.session.freshClient('replicas');
  const urls = [run.session.ctx.profile.baseUrl, ...run.replicas];
  const perReplica = Math.ceil((2 * run.limit) / urls.length);
  const bursts = await Promise.all(urls.map((baseUrl) => client.withBase(baseUrl).burst(perReplica, { connections: 'many', label: `via ${baseUrl}` })));
  const split = urls.map((url, i) => ({ url, admitted: admittedCount(bursts[i]!) }));
  const total = split.reduce((n, s) => n + s.admitted, 0);
  requireSeen(total > 0, `no request over the ${urls.length} replicas was admitted (${tally(bursts.flat())})`, bursts.flat());
  return judged(
    [{ name: 'admitted across replicas', passed: total <= run.limit + run.tolerance, expected: `<= ${run.limit} in all`, actual: `${total}: ${split.map((s) => `${s.admitted} via ${s.url}`).join(', ')}` }],
    sampleExchanges(bursts.flat()),
    `${perReplica * urls.length} requests over ${urls.length} replicas admitted ${total} in all (${split.map((s) => s.admitted).join(' + ')})`,
    { data: { split } },
  );
}
