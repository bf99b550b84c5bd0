import { RUN_INTERRUPTED, stopReason } from '../../engine/stop-reason.js';
import { GauntletError } from '../../util/errors.js';
import type { CheckOutcome } from '../types.js';
import type { ProbeResult, ProbeRun } from './probes/context.js';
import { PreconditionUnmet } from './probes/precondition.js';
import { ProbeTransportError, TooFewCallers } from './session.js';
import type { Probe } from './spec.js';

export type ProbeRunner = (run: ProbeRun) => Promise<ProbeResult>;

/** Errors after which no further probe can run: the bounds are spent, the run was interrupted, answers are too big. */
const ENDS_THE_RUN = new Set(['E_PROBE_BUDGET', 'E_INTERRUPTED', 'E_PROBE_OVERSIZED']);

/** Probes in a row whose requests got no HTTP answer before the rest are not run (as for requests of a check). */
const UNANSWERED_PROBES = 2;

/**
 * Runs the probes in order; a probe that cannot run or cannot conclude is errored. A spent budget, an interrupt,
 * or a target that left the requests of UNANSWERED_PROBES probes in a row without an HTTP answer stops the rest,
 * which are still reported (errored, or skipped when interrupted), so every selected probe has a result.
 */
export async function runProbes(probes: Probe[], runners: Record<Probe, ProbeRunner>, run: ProbeRun, outcome: (probe: Probe, result: ProbeResult) => CheckOutcome): Promise<CheckOutcome[]> {
  const { session } = run;
  const { ctx } = session;
  const outcomes: CheckOutcome[] = [];
  let unanswered = 0;
  let lastTransport: ProbeResult['transport'];
  let stopped: ProbeResult | undefined;
  for (const probe of probes) {
    if (!stopped && ctx.signal.aborted) stopped = { status: 'skipped', message: `not run: ${stopReason(ctx.signal)}`, evidence: {} };
    if (!stopped && unanswered >= UNANSWERED_PROBES) stopped = { status: 'errored', message: `not run: the requests of the last ${UNANSWERED_PROBES} probes got no HTTP answer (${lastTransport})`, transport: lastTransport, evidence: {} };
    if (stopped) {
      outcomes.push(outcome(probe, stopped));
      continue;
    }
    ctx.progress(`probe ${probe}`);
    const started = performance.now();
    let result: ProbeResult;
    try {
      result = await runners[probe](run);
      unanswered = 0;
    } catch (error) {
      if (error instanceof ProbeTransportError) {
        unanswered++;
        lastTransport = error.exchange.transport!.class;
        result = { status: 'errored', message: error.message, transport: lastTransport, evidence: { exchanges: [error.exchange] } };
      } else if (error instanceof PreconditionUnmet) {
        result = { status: 'errored', message: `${error.message} [${error.code}]`, evidence: error.evidence };
      } else if (error instanceof TooFewCallers) {
        result = { status: 'skipped', message: `not run: ${error.message}: ${callerHint(run.keyedOn, error.missing)} [${error.code}]`, evidence: {} };
      } else if (error instanceof GauntletError || ctx.signal.aborted) {
        // Whatever a probe was doing when the run was interrupted, its result says so and the rest are reported.
        const interrupted = ctx.signal.aborted || (error as GauntletError).code === 'E_INTERRUPTED';
        const { code, message } = error as GauntletError;
        const why = stopReason(ctx.signal);
        const cut = ctx.signal.aborted && why !== RUN_INTERRUPTED ? `stopped before it could conclude: ${why}` : 'interrupted before it could conclude';
        result = { status: 'errored', message: interrupted ? `${cut} [E_INTERRUPTED]` : `${message} [${code}]`, evidence: {} };
        if (ENDS_THE_RUN.has(code) || interrupted) {
          stopped = interrupted
            ? { status: 'skipped', message: `not run: ${stopReason(ctx.signal)}`, evidence: {} }
            : { status: 'errored', message: `not run: ${message} [${code}]`, evidence: {} };
        }
      } else {
        throw error;
      }
    }
    const notes = await session.endProbe();
    outcomes.push({ ...outcome(probe, withTransport(result, run, notes)), durationMs: performance.now() - started });
  }
  return outcomes;
}

/** Where more callers come from, by what the limit is keyed on. */
function callerHint(keyedOn: string, missing: number): string {
  if (keyedOn === 'identity') return `name ${missing} more under the policy's identities: (client certificates of tls.identities)`;
  if (keyedOn === 'ip') return 'a limit keyedOn ip takes callers from 127.0.0.2, 127.0.0.3, ... when the target is an IPv4 loopback address written as such (127.0.0.1, not localhost)';
  return `name ${missing} more under the policy's keys: (API keys of the profile)`;
}

/** Every probe's evidence says how its bursts travelled, and what it waited for. */
function withTransport(result: ProbeResult, run: ProbeRun, notes: string[]): ProbeResult {
  const evidence = result.evidence;
  return {
    ...result,
    evidence: {
      ...evidence,
      notes: [...(evidence.notes ?? []), ...notes],
      data: { ...evidence.data, transport: run.transport },
    },
  };
}
