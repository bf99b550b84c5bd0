import * as hdr from 'hdr-histogram-js';

/** The width of a timeline bucket: responses are counted per 100 ms since the run's start. */
export const TALLY_BUCKET_MS = 100;

/** Latencies are kept in microseconds, to three significant digits (one part in a thousand). */
const HISTOGRAM = { lowestDiscernibleValue: 1, highestTrackableValue: 2, numberOfSignificantValueDigits: 3 as const, autoResize: true, bitBucketSize: 32 as const, useWebAssembly: false };

/** Status 0 is a transport error: no HTTP answer, no latency. */
export const TRANSPORT_ERROR = 0;

/**
 * A tally as JSON, to send between processes or keep in a report: per status, the count and the latency HDR
 * histogram (compressed, base64); per status, the responses completed in each 100 ms bucket from `from` on.
 */
export interface TallyData {
  statuses: Record<string, { count: number; latency?: string }>;
  buckets: Record<string, { from: number; counts: number[] }>;
  errorSamples: string[];
}

/**
 * Every response of a load run, in constant memory: counts and an exact-to-the-histogram latency distribution
 * per status, and counts per 100 ms. Two tallies merge exactly (histograms add bucket by bucket), so the
 * percentiles of workers' merged tallies are those of all their samples together, within the histogram's
 * precision; never an average of percentiles.
 */
export class LoadTally {
  private readonly counts = new Map<number, number>();
  private readonly histograms = new Map<number, hdr.Histogram>();
  private readonly buckets = new Map<number, number[]>();
  /** The first bucket index held in `buckets` (after a drain, earlier ones are gone). */
  private bucketsFrom = 0;
  errorSamples: string[] = [];
  count = 0;

  add(status: number, latencyMs: number, completedAtMs: number): void {
    this.count++;
    this.counts.set(status, (this.counts.get(status) ?? 0) + 1);
    if (status !== TRANSPORT_ERROR && Number.isFinite(latencyMs)) this.histogram(status).recordValue(Math.max(1, Math.round(latencyMs * 1000)));
    this.addToBucket(status, Math.max(0, Math.floor(completedAtMs / TALLY_BUCKET_MS)), 1);
  }

  addError(message: string, completedAtMs: number): void {
    this.add(TRANSPORT_ERROR, Number.NaN, completedAtMs);
    this.keepErrorSample(message);
  }

  /** Responses per status code (`0`: transport errors). */
  statusCounts(): Map<number, number> {
    return new Map(this.counts);
  }

  /** The latency (ms) at percentile `p` of the responses whose status `keep` accepts; NaN when there are none. */
  percentile(keep: (status: number) => boolean, p: number): number {
    const kept = [...this.histograms].filter(([status]) => keep(status)).map(([, h]) => h);
    if (kept.length === 0) return Number.NaN;
    const merged = hdr.build(HISTOGRAM);
    for (const h of kept) merged.add(h);
    const value = merged.totalCount === 0 ? Number.NaN : merged.getValueAtPercentile(p) / 1000;
    merged.destroy();
    return value;
  }

  /** Responses per bucket, for each status: dense arrays from bucket 0 to the last bucket with a response. */
  bucketCounts(): Map<number, number[]> {
    const out = new Map<number, number[]>();
    for (const [status, counts] of this.buckets) out.set(status, [...new Array<number>(this.bucketsFrom).fill(0), ...counts]);
    return out;
  }

  toData(): TallyData {
    return {
      statuses: Object.fromEntries(
        [...this.counts].map(([status, count]) => {
          const h = this.histograms.get(status);
          return [String(status), h ? { count, latency: hdr.encodeIntoCompressedBase64(h) } : { count }];
        }),
      ),
      buckets: Object.fromEntries([...this.buckets].map(([status, counts]) => [String(status), { from: this.bucketsFrom, counts: [...counts] }])),
      errorSamples: [...this.errorSamples],
    };
  }

  /**
   * What was added since the last drain, as data, and forget it: a worker sends one of these each second. Buckets
   * start again at the last one drained, which later responses may still fill (it is summed on the other side).
   */
  drain(): TallyData {
    const data = this.toData();
    const last = Math.max(this.bucketsFrom, ...[...this.buckets.values()].map((c) => this.bucketsFrom + c.length - 1));
    for (const h of this.histograms.values()) h.destroy();
    this.histograms.clear();
    this.counts.clear();
    this.buckets.clear();
    this.bucketsFrom = last;
    this.count = 0;
    return data;
  }

  /** Adds another tally's data to this one: counts and buckets summed, histograms added, error samples joined. */
  merge(data: TallyData): this {
    for (const [key, entry] of Object.entries(data.statuses)) {
      const status = Number(key);
      this.count += entry.count;
      this.counts.set(status, (this.counts.get(status) ?? 0) + entry.count);
      if (entry.latency) {
        const decoded = hdr.decodeFromCompressedBase64(entry.latency, HISTOGRAM.bitBucketSize, false);
        this.histogram(status).add(decoded);
        decoded.destroy();
      }
    }
    for (const [key, { from, counts }] of Object.entries(data.buckets)) counts.forEach((n, i) => n && this.addToBucket(Number(key), from + i, n));
    for (const sample of data.errorSamples) this.keepErrorSample(sample);
    return this;
  }

  static fromData(...data: TallyData[]): LoadTally {
    const tally = new LoadTally();
    for (const d of data) tally.merge(d);
    return tally;
  }

  /** Up to five distinct transport error messages, the first seen. */
  private keepErrorSample(message: string): void {
    if (this.errorSamples.length < 5 && !this.errorSamples.includes(message)) this.errorSamples.push(message);
  }

  private histogram(status: number): hdr.Histogram {
    let h = this.histograms.get(status);
    if (!h) this.histograms.set(status, (h = hdr.build(HISTOGRAM)));
    return h;
  }

  private addToBucket(status: number, index: number, n: number): void {
    let counts = this.buckets.get(status);
    if (!counts) this.buckets.set(status, (counts = []));
    if (index < this.bucketsFrom) {
      // A response completing in a bucket already drained: prepend room (rare; the drain keeps the last bucket).
      const missing = this.bucketsFrom - index;
      for (const c of this.buckets.values()) c.unshift(...new Array<number>(missing).fill(0));
      this.bucketsFrom = index;
    }
    const at = index - this.bucketsFrom;
    while (counts.length <= at) counts.push(0);
    counts[at]! += n;
  }
}
