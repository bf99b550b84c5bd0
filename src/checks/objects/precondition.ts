/** A check that could not observe what it needs is errored with this code, never passed. */
export const E_PRECONDITION = 'E_PRECONDITION';

export function precondition(message: string): string {
  return `${message} [${E_PRECONDITION}]`;
}
