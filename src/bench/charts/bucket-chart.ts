import { escapeXml, niceMax } from './svg.js';

export interface BucketChartInput {
  title: string;
  /** Admitted per bucket, one series per limiter. */
  series: { label: string; counts: number[] }[];
  /** Time of the first bucket's start, in ms. */
  startMs: number;
  bucketMs: number;
  /** Vertical guides (window boundaries), in ms. */
  boundariesMs: number[];
  /** A horizontal guide: what the ideal admits at most per bucket-width interval, if useful. */
  yMax?: number;
  width?: number;
}

/**
 * Small multiples: one row per limiter, a column per time bucket (height = admitted in that bucket), window
 * boundaries drawn across all rows, so boundary bursts show as twin spikes. Pure: data in, SVG string out.
 */
export function bucketChart(input: BucketChartInput): string {
  const width = input.width ?? 760;
  const labelWidth = 170;
  const rowHeight = 46;
  const top = 28;
  const buckets = Math.max(1, ...input.series.map((s) => s.counts.length));
  const plot = width - labelWidth - 10;
  const column = plot / buckets;
  const max = input.yMax ?? niceMax(Math.max(1, ...input.series.flatMap((s) => s.counts)));
  const height = top + input.series.length * rowHeight + 26;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(input.title)}">`,
    `<text x="0" y="16" class="title">${escapeXml(input.title)}</text>`,
  ];
  input.series.forEach((series, row) => {
    const base = top + (row + 1) * rowHeight - 6;
    parts.push(`<text x="${labelWidth - 8}" y="${base - 10}" text-anchor="end" class="label">${escapeXml(series.label)}</text>`);
    parts.push(`<line x1="${labelWidth}" y1="${base}" x2="${labelWidth + plot}" y2="${base}" class="axis"/>`);
    series.counts.forEach((count, i) => {
      if (count <= 0) return;
      const h = Math.min(1, count / max) * (rowHeight - 10);
      const x = labelWidth + i * column;
      const t0 = (input.startMs + i * input.bucketMs) / 1000;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${(base - h).toFixed(1)}" width="${Math.max(1, column - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${row === input.series.length - 1 ? '#2f9e62' : '#3b6fb6'}"><title>${escapeXml(`${series.label}: ${count} admitted in [${t0}s, ${t0 + input.bucketMs / 1000}s)`)}</title></rect>`,
      );
    });
  });
  const bottom = top + input.series.length * rowHeight;
  for (const at of input.boundariesMs) {
    const x = labelWidth + ((at - input.startMs) / input.bucketMs) * column;
    if (x < labelWidth || x > labelWidth + plot) continue;
    parts.push(`<line x1="${x.toFixed(1)}" y1="${top}" x2="${x.toFixed(1)}" y2="${bottom}" class="guide"/>`);
    parts.push(`<text x="${x.toFixed(1)}" y="${bottom + 16}" text-anchor="middle" class="tick">${at / 1000}s</text>`);
  }
  parts.push(`<text x="${labelWidth - 8}" y="${bottom + 16}" text-anchor="end" class="tick">full bar = ${max} admitted</text>`);
  parts.push(`<text x="${labelWidth}" y="${bottom + 16}" class="tick">${input.startMs / 1000}s</text>`);
  parts.push(`<text x="${labelWidth + plot}" y="${bottom + 16}" text-anchor="end" class="tick">${(input.startMs + buckets * input.bucketMs) / 1000}s</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}
