/** Parses `5s`, `500ms`, `2m`, `1h`, `1.5s` or a plain number of milliseconds. Returns undefined when unparseable. */
export function parseDuration(input: string | number): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? input : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(input);
  if (!match) return undefined;
  const value = Number(match[1]);
  const unit = match[2] ?? 'ms';
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit]!;
  return value * factor;
}

/** The longest a Node timer waits: a longer one fires at once. */
export const MAX_TIMEOUT_MS = 2_147_483_647;

/** What is wrong with `value` as a timeout (more than 0, at most MAX_TIMEOUT_MS), or undefined when it is fine. */
export function timeoutProblem(value: string | number): string | undefined {
  const ms = parseDuration(value);
  if (ms === undefined) return `'${value}' is not a duration such as 5s, 500ms or 2000`;
  if (ms <= 0) return `a timeout of ${JSON.stringify(value)} would end every request at once: give more than 0`;
  if (ms > MAX_TIMEOUT_MS) return `a timeout of ${JSON.stringify(value)} is longer than a timer can wait (about 24 days): give a shorter one`;
  return undefined;
}

export const DURATION_PATTERN = '^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h|d)?\\s*$';

export function formatDuration(ms: number): string {
  if (ms < 1) return `${ms.toFixed(2)}ms`;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
  return `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}
