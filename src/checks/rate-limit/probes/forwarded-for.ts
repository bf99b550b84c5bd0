import { randomInt } from 'node:crypto';
import { admittedCount } from '../observation.js';
import { sampleExchanges } from '../session.js';
import { judged, skipped, type ProbeResult, type ProbeRun } from './context.js';
import { requireLimited, requireSeen, tally } from './precondition.js';
import { exhaustQuota } from './exhaust.js';

/** A made-up client address from the documentation ranges (RFC 5737), new for every request. */
function forgedAddress(): string {
  const nets = ['192.0.2', '198.51.100', '203.0.113'];
  return `${nets[randomInt(nets.length)]}.${randomInt(1, 255)}`;
}

/** The headers a proxy writes and a client can forge, each given the forged address its own way. */
const FORGEABLE: { header: string; value: (address: string) => string }[] = [
  { header: 'X-Forwarded-For', value: (a) => a },
  { header: 'X-Real-IP', value: (a) => a },
  { header: 'Forwarded', value: (a) => `for=${a}` },
];

/**
 * The limit key is the credential (or the connection's address), not a header the client writes: once a caller
 * is limited, requests that each claim another client address in X-Forwarded-For, X-Real-IP or Forwarded must be
 * refused as much as the same requests without them, sent in the same burst as the control (so whatever the quota
 * regains meanwhile is the same for both). Skipped when the policy says gauntlet reaches the target through a
 * proxy it trusts to write X-Forwarded-For.
 */
export async function forwardedFor(run: ProbeRun): Promise<ProbeResult> {
  if (run.trustedProxy) return skipped('the policy declares a trusted proxy (trustedProxy: true): the target is meant to key on the address it forwards');
  const client = await run.session.freshClient('forwarded-for');
  const exhausted = await exhaustQuota(client, run.limit + 2, 'exhaust');
  requireLimited(exhausted, 'the caller');
  const count = run.tolerance + 5;
  const groups = [undefined, ...FORGEABLE];
  const requests = Array.from({ length: count }, () =>
    groups.map((forge) => (forge ? { ...client.request, headers: { ...client.request.headers, [forge.header]: forge.value(forgedAddress()) } } : client.request)),
  ).flat();
  const answers = await client.burstOf(requests, { label: 'a new forwarded address on each request, and the control without' });
  const byGroup = groups.map((forge, i) => ({ header: forge?.header, answers: answers.filter((_, j) => j % groups.length === i) }));
  const [control, ...forged] = byGroup;
  requireSeen(control!.answers.some((o) => o.refused), `the caller was no longer limited (${tally(control!.answers)} without a forwarding header), so the forged requests have nothing to be compared with`, control!.answers);
  const baseline = admittedCount(control!.answers);
  const assertions = forged.map(({ header, answers: sent }) => {
    const admitted = admittedCount(sent);
    return {
      name: `a forged ${header}`,
      passed: admitted <= baseline + run.tolerance,
      expected: `refused like the same requests without it (${baseline} of ${count} admitted)`,
      actual: admitted > baseline + run.tolerance ? `${admitted} of ${count} admitted: rotating ${header} resets the quota` : tally(sent),
    };
  });
  return judged(
    assertions,
    sampleExchanges(answers),
    `a limited caller stayed limited with forged forwarding headers (${forged.map((f) => `${f.header}: ${tally(f.answers)}`).join('; ')}; without: ${tally(control!.answers)})`,
    { data: { forged: forged.map((f) => ({ header: f.header, admitted: admittedCount(f.answers) })), control: baseline, sent: count } },
  );
}
