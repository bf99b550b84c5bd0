/**
 * A shared/exclusive gate: ordinary checks run side by side; an exclusive check (load, bursts) waits for
 * them to finish and holds everyone else back until it is done, so no other traffic disturbs its measurement.
 */
export class ExclusiveGate {
  private shared = 0;
  private exclusive = false;
  private waiters: (() => void)[] = [];

  async run<T>(exclusive: boolean, task: () => Promise<T>): Promise<T> {
    await this.acquire(exclusive);
    try {
      return await task();
    } finally {
      this.release(exclusive);
    }
  }

  private async acquire(exclusive: boolean): Promise<void> {
    while (this.exclusive || (exclusive && this.shared > 0)) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    if (exclusive) this.exclusive = true;
    else this.shared++;
  }

  private release(exclusive: boolean): void {
    if (exclusive) this.exclusive = false;
    else this.shared--;
    const waiting = this.waiters;
    this.waiters = [];
    for (const wake of waiting) wake();
  }
}
