/**
 * lastUsedAt without a write per request: uses are kept in memory (the latest time per key) and written in one
 * batch every `intervalMs`, and once more on close. A crash loses at most one interval of lastUsedAt, which is
 * bookkeeping, never the keys themselves.
 */
export class LastUsedWriter {
  private pending = new Map<string, number>();
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly write: (batch: ReadonlyMap<string, number>) => void,
    intervalMs: number,
  ) {
    if (intervalMs > 0) {
      this.timer = setInterval(() => {
        try {
          this.flush();
        } catch {
          // The uses stay pending; the next flush (or close) tries again.
        }
      }, intervalMs);
      this.timer.unref();
    }
  }

  touch(id: string, at: number): void {
    const previous = this.pending.get(id);
    if (previous === undefined || at > previous) this.pending.set(id, at);
  }

  /** The not yet written time for a key, so listings are current between flushes. */
  pendingFor(id: string): number | undefined {
    return this.pending.get(id);
  }

  flush(): void {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      this.write(batch);
    } catch (error) {
      // Keep the uses for the next attempt (a newer use of the same key wins).
      for (const [id, at] of batch) this.touch(id, at);
      throw error;
    }
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.flush();
  }
}
