/**
 * One progress line on stderr while the benchmark runs: redrawn in place on a terminal, one line per phase
 * otherwise (so logs stay short).
 */
export class Progress {
  private done = 0;
  private phase = '';
  private shown = false;

  constructor(
    private readonly total: number,
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
    private readonly interactive = Boolean(stream.isTTY) && !process.env.NO_COLOR,
  ) {}

  step(phase: string, detail: string): void {
    this.done++;
    const percent = Math.min(100, Math.round((this.done / this.total) * 100));
    if (this.interactive) {
      const line = `[${String(percent).padStart(3)}%] ${phase}: ${detail}`;
      this.stream.write(`\r\x1b[2K${line.slice(0, Math.max(20, (this.stream.columns ?? 100) - 1))}`);
      this.shown = true;
    } else if (phase !== this.phase) {
      this.stream.write(`[${String(percent).padStart(3)}%] ${phase}\n`);
    }
    this.phase = phase;
  }

  end(): void {
    if (this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}
