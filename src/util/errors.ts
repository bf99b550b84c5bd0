/** Exit codes, as documented in the README. */
export const EXIT = {
  ok: 0,
  findings: 1,
  usage: 2,
  unreachable: 3,
  /** 128 + the signal's number, as a shell reports a process a signal ended. */
  hangup: 129,
  interrupted: 130,
  terminated: 143,
} as const;

/** A user-facing error: a stable code, a message that says how to fix it, and the exit code it maps to. */
export class GauntletError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
    this.name = 'GauntletError';
  }
}
