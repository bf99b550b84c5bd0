import { xmlEscape } from '../xml.js';

export const WIDTH = 680;
export const HEIGHT = 240;
/** The title takes the first line and the legend the second, above the plot. */
export const MARGIN = { top: 44, right: 16, bottom: 36, left: 52 };
export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
export const COLOURS = { admitted: '#2da44e', refused: '#d4a72c', errors: '#cf222e', limit: '#57606a', axis: '#8c959f', text: '#24292f' };

export const esc = xmlEscape;

/** A linear map from a data domain onto a pixel range. */
export function scale(domain: [number, number], range: [number, number]): (v: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/** About five round tick values covering [0, max]. */
export function ticks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = 0; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/**
 * Labels for the ticks of one axis, all in one format: the same unit suffix (k, M) and the same number of decimals,
 * so 0.25 does not stand beside 1 and 1.3, nor 5000 beside 10k.
 */
export function tickLabels(values: number[]): string[] {
  const top = Math.max(0, ...values.map(Math.abs));
  const [divisor, suffix] = top >= 1e6 ? [1e6, 'M'] : top >= 1e4 ? [1e3, 'k'] : [1, ''];
  const scaled = values.map((v) => v / divisor);
  const decimals = Math.min(3, Math.max(0, ...scaled.map(decimalsOf)));
  return scaled.map((v) => `${v.toFixed(decimals)}${suffix}`);
}

function decimalsOf(value: number): number {
  const text = Number(value.toPrecision(6)).toString();
  return text.includes('.') ? text.length - text.indexOf('.') - 1 : 0;
}

/** Roughly how wide a label of 10px text is: enough to keep it inside the chart. */
export const labelWidth = (text: string, fontSize = 10) => text.length * fontSize * 0.6;

export function fmt(value: number): string {
  if (Math.abs(value) >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (Math.abs(value) >= 1e4) return `${(value / 1e3).toFixed(0)}k`;
  if (Number.isInteger(value)) return String(value);
  return value.toFixed(Math.abs(value) < 1 ? 2 : 1);
}

export interface Frame {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export const plotFrame = (height = HEIGHT): Frame => ({ x0: MARGIN.left, x1: WIDTH - MARGIN.right, y0: height - MARGIN.bottom, y1: MARGIN.top });

/**
 * The outer <svg> with a title, accessible label and data attributes the browser test reads. Shapes drawn from data
 * carry class "mark" (legend swatches and axes do not), so a test can tell a drawn chart from an empty frame.
 */
export function svg(type: string, title: string, marks: number, body: string, height = HEIGHT): string {
  return (
    `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" ` +
    `role="img" aria-label="${esc(title)}" data-chart-type="${esc(type)}" data-marks="${marks}">` +
    `<title>${esc(title)}</title>` +
    `<text x="${MARGIN.left}" y="16" font-size="13" font-weight="600" fill="${COLOURS.text}">${esc(title)}</text>${body}</svg>`
  );
}

/** Y axis with grid lines and labels, and the x axis line. */
/** Formats the tick values of one axis together, so they share a unit and a precision. */
export type AxisFormat = (values: number[]) => string[];

/** Tick labels with a unit after each: `0.5s`, `1.0s`. */
export const withUnit =
  (unit: string): AxisFormat =>
  (values) =>
    tickLabels(values).map((t) => `${t}${unit}`);

/** Y axis with grid lines and labels, and the x axis line. */
export function yAxis(frame: Frame, max: number, y: (v: number) => number, label: string, format: AxisFormat = tickLabels): string {
  const values = ticks(max);
  const texts = format(values);
  const parts = values.map((t, i) => {
    const py = y(t).toFixed(1);
    return `<line x1="${frame.x0}" x2="${frame.x1}" y1="${py}" y2="${py}" stroke="#eaeef2"/><text x="${frame.x0 - 6}" y="${py}" font-size="10" text-anchor="end" dominant-baseline="middle" fill="${COLOURS.axis}">${esc(texts[i]!)}</text>`;
  });
  parts.push(`<line x1="${frame.x0}" x2="${frame.x1}" y1="${frame.y0}" y2="${frame.y0}" stroke="${COLOURS.axis}"/>`);
  parts.push(
    `<text x="12" y="${(frame.y0 + frame.y1) / 2}" font-size="10" fill="${COLOURS.axis}" transform="rotate(-90 12 ${(frame.y0 + frame.y1) / 2})" text-anchor="middle">${esc(label)}</text>`,
  );
  return parts.join('');
}

export function xLabel(frame: Frame, text: string, height = HEIGHT): string {
  return `<text x="${(frame.x0 + frame.x1) / 2}" y="${height - 4}" font-size="10" text-anchor="middle" fill="${COLOURS.axis}">${esc(text)}</text>`;
}

/**
 * X tick labels under the axis. A label centred on a tick near either edge would be cut by the chart's border
 * (`1000ms` drawn as `1000m`): it is anchored to the tick from inside instead.
 */
export function xTicks(frame: Frame, max: number, x: (v: number) => number, format: AxisFormat = tickLabels): string {
  const values = ticks(max, 8);
  const texts = format(values);
  return values
    .map((t, i) => {
      const px = x(t);
      const half = labelWidth(texts[i]!) / 2;
      const anchor = px + half > WIDTH - 2 ? 'end' : px - half < 2 ? 'start' : 'middle';
      return `<text x="${px.toFixed(1)}" y="${frame.y0 + 14}" font-size="10" text-anchor="${anchor}" fill="${COLOURS.axis}">${esc(texts[i]!)}</text>`;
    })
    .join('');
}

/** A row of coloured keys at the top right. */
export function legend(entries: { label: string; colour: string; dashed?: boolean }[]): string {
  let x = WIDTH - MARGIN.right;
  const parts: string[] = [];
  for (const entry of [...entries].reverse()) {
    const width = 18 + entry.label.length * 6;
    x -= width + 10;
    parts.push(
      entry.dashed
        ? `<line x1="${x}" x2="${x + 12}" y1="30" y2="30" stroke="${entry.colour}" stroke-width="2" stroke-dasharray="4 3"/>`
        : `<rect x="${x}" y="24" width="12" height="12" fill="${entry.colour}"/>`,
    );
    parts.push(`<text x="${x + 16}" y="34" font-size="10" fill="${COLOURS.text}">${esc(entry.label)}</text>`);
  }
  return parts.join('');
}

export function polyline(points: [number, number][], colour: string, dashed = false, width = 2): string {
  if (points.length === 0) return '';
  const d = points.map(([x, y], i) => `${i ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`).join('');
  const faint = width > 2 ? ' stroke-opacity="0.45"' : '';
  return `<path${dashed ? '' : ' class="mark"'} d="${d}" fill="none" stroke="${colour}" stroke-width="${width}"${faint}${dashed ? ' stroke-dasharray="5 4"' : ''}/>`;
}
