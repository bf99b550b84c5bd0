import type { BarChart } from '../../results/charts.js';
import { esc, fmt, MARGIN, PALETTE, scale, svg, WIDTH } from './svg.js';

const ROW = 18;
const LABEL_WIDTH = 190;

/** Horizontal bars with their values; bars of one group share a colour. */
export function barsSvg(chart: BarChart): string {
  const height = MARGIN.top + chart.bars.length * ROW + 16;
  const max = Math.max(1e-9, ...chart.bars.map((b) => b.value));
  const x = scale([0, max], [LABEL_WIDTH, WIDTH - 90]);
  const groups = [...new Set(chart.bars.map((b) => b.group ?? ''))];
  const rows = chart.bars.map((bar, i) => {
    const y = MARGIN.top + i * ROW;
    const colour = PALETTE[groups.indexOf(bar.group ?? '') % PALETTE.length];
    return (
      `<text x="${LABEL_WIDTH - 6}" y="${y + ROW / 2}" font-size="11" text-anchor="end" dominant-baseline="middle" fill="#24292f">${esc(bar.label)}</text>` +
      `<rect class="mark" x="${LABEL_WIDTH}" y="${y + 2}" width="${Math.max(1, x(bar.value) - LABEL_WIDTH).toFixed(1)}" height="${ROW - 4}" fill="${colour}"><title>${esc(`${bar.label}: ${fmt(bar.value)} ${chart.unit}`)}</title></rect>` +
      `<text x="${(x(bar.value) + 4).toFixed(1)}" y="${y + ROW / 2}" font-size="10" dominant-baseline="middle" fill="#57606a">${esc(`${fmt(bar.value)} ${chart.unit}`)}</text>`
    );
  });
  return svg('bars', chart.title, chart.bars.length, rows.join(''), height);
}
