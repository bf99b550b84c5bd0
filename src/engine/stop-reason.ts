/** What a check's signal means when the run's interrupt (SIGINT, SIGTERM, SIGHUP) aborted it, with no reason. */
export const RUN_INTERRUPTED = 'the run was interrupted';

/**
 * Why a check's signal stopped it, in words: the reason it was aborted with (the runner's watchdog gives one when a
 * check runs past its time bound), or the run's interrupt.
 */
export function stopReason(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.reason;
  return reason instanceof Error && reason.name !== 'AbortError' ? reason.message : RUN_INTERRUPTED;
}
