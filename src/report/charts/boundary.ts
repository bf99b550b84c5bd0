import type { BoundaryChart } from '../../results/charts.js';
import { COLOURS, esc, legend, MARGIN, plotFrame, scale, svg, withUnit, xLabel, xTicks } from './svg.js';

const HEIGHT = 230;
/** Dots this close (px) stand in one column, stacked, so a burst shows as a tower rather than one dot. */
const COLUMN_PX = 4;

/**
 * Each request fired around a window boundary: admitted ones on the upper row, refused on the lower, the boundary
 * as a vertical line, and the window of length W that admitted most shaded.
 */
export function boundarySvg(chart: BoundaryChart): string {
  const frame = plotFrame(HEIGHT);
  const arrivals = [...chart.arrivals].sort((a, b) => a.atMs - b.atMs);
  const end = Math.max(chart.boundaryAtMs + 1, ...arrivals.map((a) => a.atMs)) * 1.05;
  const x = scale([0, end], [frame.x0, frame.x1]);
  const middle = (frame.y0 + frame.y1) / 2;
  const rowY = (admitted: boolean) => (admitted ? middle - 8 : middle + 8);
  const admittedTimes = arrivals.filter((a) => a.admitted).map((a) => a.atMs);
  let best = { start: 0, count: 0 };
  for (let i = 0, j = 0; i < admittedTimes.length; i++) {
    while (admittedTimes[i]! - admittedTimes[j]! >= chart.windowMs) j++;
    if (i - j + 1 > best.count) best = { start: admittedTimes[j]!, count: i - j + 1 };
  }
  const shade = best.count
    ? `<rect x="${x(best.start).toFixed(1)}" y="${frame.y1}" width="${Math.max(1, Math.min(frame.x1, x(best.start + chart.windowMs)) - x(best.start)).toFixed(1)}" height="${frame.y0 - frame.y1}" fill="#ddf4ff"><title>${esc(`${best.count} admitted within one window of ${chart.windowMs} ms (limit ${chart.limit})`)}</title></rect>`
    : '';
  const boundary = `<line class="boundary" x1="${x(chart.boundaryAtMs).toFixed(1)}" x2="${x(chart.boundaryAtMs).toFixed(1)}" y1="${frame.y1}" y2="${frame.y0}" stroke="${COLOURS.limit}" stroke-width="2" stroke-dasharray="5 3"/>`;
  // Admitted stack upward from the middle, refused downward; each column holds the requests of one instant.
  const heights = new Map<string, number>();
  const dots = arrivals
    .map((a) => {
      const column = `${a.admitted}:${Math.round(x(a.atMs) / COLUMN_PX)}`;
      const level = heights.get(column) ?? 0;
      heights.set(column, level + 1);
      const cy = rowY(a.admitted) + (a.admitted ? -1 : 1) * Math.min(level * 3.5, middle - frame.y1 - 6);
      return `<circle class="mark" cx="${x(a.atMs).toFixed(1)}" cy="${cy.toFixed(1)}" r="2.5" fill="${a.admitted ? COLOURS.admitted : COLOURS.refused}"/>`;
    })
    .join('');
  const rows =
    `<text x="${frame.x0 - 6}" y="${rowY(true)}" font-size="10" text-anchor="end" dominant-baseline="middle" fill="${COLOURS.text}">admitted</text>` +
    `<text x="${frame.x0 - 6}" y="${rowY(false)}" font-size="10" text-anchor="end" dominant-baseline="middle" fill="${COLOURS.text}">refused</text>` +
    `<line x1="${frame.x0}" x2="${frame.x1}" y1="${frame.y0}" y2="${frame.y0}" stroke="${COLOURS.axis}"/>`;
  // On the legend's row, left of it, above the plot: wherever the boundary falls, nothing is drawn over it.
  const summary = `<text class="note" x="${MARGIN.left}" y="34" font-size="10" fill="${COLOURS.text}">${esc(`most admitted in any ${chart.windowMs} ms: ${best.count} (limit ${chart.limit})`)}</text>`;
  return svg(
    'boundary',
    chart.title,
    arrivals.length,
    shade + rows + boundary + dots + summary + xTicks(frame, end, x, withUnit('ms')) + xLabel(frame, 'time since first request', HEIGHT) +
      legend([
        { label: 'admitted', colour: COLOURS.admitted },
        { label: 'refused', colour: COLOURS.refused },
        { label: 'boundary', colour: COLOURS.limit, dashed: true },
      ]),
    HEIGHT,
  );
}
