/**
 * Every response of a load run, kept in typed arrays (a million responses take ~20 MB): status (0 for a
 * transport error), latency and completion time relative to the start. Grows by doubling.
 */
export class ResponseRecording {
  count = 0;
  status: Uint16Array;
  latencyMs: Float64Array;
  completedAtMs: Float64Array;
  readonly errorSamples: string[] = [];

  constructor(capacity = 4096) {
    this.status = new Uint16Array(capacity);
    this.latencyMs = new Float64Array(capacity);
    this.completedAtMs = new Float64Array(capacity);
  }

  add(status: number, latencyMs: number, completedAtMs: number): void {
    if (this.count === this.status.length) this.grow();
    this.status[this.count] = status;
    this.latencyMs[this.count] = latencyMs;
    this.completedAtMs[this.count] = completedAtMs;
    this.count++;
  }

  addError(message: string, completedAtMs: number): void {
    this.add(0, Number.NaN, completedAtMs);
    if (this.errorSamples.length < 5 && !this.errorSamples.includes(message)) this.errorSamples.push(message);
  }

  private grow(): void {
    const size = this.status.length * 2;
    const status = new Uint16Array(size);
    status.set(this.status);
    const latency = new Float64Array(size);
    latency.set(this.latencyMs);
    const completed = new Float64Array(size);
    completed.set(this.completedAtMs);
    this.status = status;
    this.latencyMs = latency;
    this.completedAtMs = completed;
  }
}

/** Nearest-rank percentile of values (ms) that match `keep`; NaN when none do. */
export function percentiles(recording: ResponseRecording, keep: (status: number) => boolean, ps: number[]): Map<number, number> {
  const values: number[] = [];
  for (let i = 0; i < recording.count; i++) if (keep(recording.status[i]!)) values.push(recording.latencyMs[i]!);
  const sorted = Float64Array.from(values).sort();
  return new Map(ps.map((p) => [p, sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]! : Number.NaN]));
}
