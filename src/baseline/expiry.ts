import type { BaselineEntry } from './entry.js';

/** Today as YYYY-MM-DD, in UTC: CI machines in every time zone agree on when an entry expires. */
export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** An entry holds through its `expires` day and has expired from the day after. */
export function hasExpired(entry: Pick<BaselineEntry, 'expires'>, today: string): boolean {
  return entry.expires !== undefined && entry.expires < today;
}
