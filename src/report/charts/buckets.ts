import type { BucketsChart } from '../../results/charts.js';
import { COLOURS, esc, fmt, MARGIN, PALETTE, svg, WIDTH } from './svg.js';

const LABEL_WIDTH = 170;
const ROW = 46;

/** A row per series, a column per bucket (height = count), window boundaries drawn across all rows. */
export function bucketsSvg(chart: BucketsChart): string {
  const buckets = Math.max(1, ...chart.series.map((s) => s.counts.length));
  const plot = WIDTH - LABEL_WIDTH - MARGIN.right;
  const column = plot / buckets;
  const max = Math.max(1, ...chart.series.flatMap((s) => s.counts));
  const height = MARGIN.top + chart.series.length * ROW + 26;
  const bottom = MARGIN.top + chart.series.length * ROW;
  const parts: string[] = [];
  let marks = 0;
  chart.series.forEach((series, row) => {
    const base = MARGIN.top + (row + 1) * ROW - 6;
    const colour = PALETTE[row % PALETTE.length]!;
    parts.push(`<text x="${LABEL_WIDTH - 8}" y="${base - 10}" font-size="11" text-anchor="end" fill="${COLOURS.text}">${esc(series.name)}</text>`);
    parts.push(`<line x1="${LABEL_WIDTH}" x2="${LABEL_WIDTH + plot}" y1="${base}" y2="${base}" stroke="${COLOURS.axis}"/>`);
    series.counts.forEach((count, i) => {
      if (count <= 0) return;
      const h = (count / max) * (ROW - 10);
      const t0 = (chart.startMs + i * chart.bucketMs) / 1000;
      marks++;
      parts.push(
        `<rect class="mark" x="${(LABEL_WIDTH + i * column).toFixed(1)}" y="${(base - h).toFixed(1)}" width="${Math.max(1, column - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${colour}"><title>${esc(`${series.name}: ${count} in [${t0}s, ${t0 + chart.bucketMs / 1000}s)`)}</title></rect>`,
      );
    });
  });
  for (const at of chart.guidesMs) {
    const x = LABEL_WIDTH + ((at - chart.startMs) / chart.bucketMs) * column;
    if (x < LABEL_WIDTH || x > LABEL_WIDTH + plot) continue;
    parts.push(`<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${MARGIN.top}" y2="${bottom}" stroke="${COLOURS.limit}" stroke-dasharray="4 3"/>`);
    parts.push(`<text x="${x.toFixed(1)}" y="${bottom + 14}" font-size="10" text-anchor="middle" fill="${COLOURS.axis}">${esc(`${at / 1000}s`)}</text>`);
  }
  parts.push(`<text x="${LABEL_WIDTH - 8}" y="${bottom + 14}" font-size="10" text-anchor="end" fill="${COLOURS.axis}">${esc(`full bar = ${fmt(max)}`)}</text>`);
  return svg('buckets', chart.title, marks, parts.join(''), height);
}
