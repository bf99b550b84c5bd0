import { EXIT } from './errors.js';

/** The signals that ask gauntlet to stop: Ctrl-C, CI cancellation and `timeout`, a closed terminal. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

const EXIT_CODES: Record<StopSignal, number> = { SIGINT: EXIT.interrupted, SIGTERM: EXIT.terminated, SIGHUP: EXIT.hangup };

export function exitCodeFor(signal: StopSignal): number {
  return EXIT_CODES[signal];
}

/**
 * Calls `onFirst` for the first stop signal; any later one exits at once, through process.exit so that exit hooks
 * (the demo's key removal) still run. Returns the function that removes the handler.
 */
export function onStopSignals(onFirst: (signal: StopSignal) => void): () => void {
  let stopping = false;
  const handler = (signal: StopSignal) => {
    if (stopping) return process.exit(exitCodeFor(signal));
    stopping = true;
    onFirst(signal);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, handler);
  return () => {
    for (const signal of STOP_SIGNALS) process.off(signal, handler);
  };
}

/**
 * Outside a run (setup, shutdown), a stop signal exits at once; while another listener (a run stopping its
 * checks) handles the signal, this one leaves it to it. Registered for a whole command, so there is never a moment
 * when the default applies: death without exit hooks.
 */
export function exitOnStopSignals(onSignal: (signal: StopSignal) => void): () => void {
  const handler = (signal: StopSignal) => {
    if (process.listenerCount(signal) > 1) return;
    onSignal(signal);
    process.exit(exitCodeFor(signal));
  };
  for (const signal of STOP_SIGNALS) process.on(signal, handler);
  return () => {
    for (const signal of STOP_SIGNALS) process.off(signal, handler);
  };
}
