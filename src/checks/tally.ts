/** `10 x 200, 15 x 429`: how often each status (or outcome) was seen, in the order given. */
export function countsText(counts: Iterable<readonly [string | number, number]>): string {
  return [...counts].map(([what, n]) => `${n} x ${what}`).join(', ') || 'nothing';
}

/** Counts of each status in a list, in the order first seen. */
export function statusCounts(statuses: Iterable<number>): Map<number, number> {
  const counts = new Map<number, number>();
  for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
  return counts;
}
