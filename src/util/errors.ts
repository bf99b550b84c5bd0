/** Exit codes, as documented in the README. */
export const EXIT = {
  ok: 0,
  findings: 1,
  usage: 2,
  unreachable: 3,
  interrupted: 130,
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
