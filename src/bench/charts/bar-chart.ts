import { compactNumber, escapeXml, niceMax } from './svg.js';

export interface Bar {
  label: string;
  value: number;
  /** Drawn in the accent colour (the peer). */
  highlight?: boolean;
}

export interface BarChartInput {
  title: string;
  unit: string;
  bars: Bar[];
  width?: number;
}

/** Horizontal bars, one per label, with the value at the end: a pure function from data to an SVG string. */
export function barChart(input: BarChartInput): string {
  const width = input.width ?? 640;
  const rowHeight = 22;
  const labelWidth = 190;
  const valueWidth = 70;
  const top = 30;
  const height = top + input.bars.length * rowHeight + 24;
  const plot = width - labelWidth - valueWidth;
  const max = niceMax(Math.max(0, ...input.bars.map((b) => (Number.isFinite(b.value) ? b.value : 0))));
  const rows = input.bars.map((bar, i) => {
    const y = top + i * rowHeight;
    const w = Number.isFinite(bar.value) ? Math.max(1, (bar.value / max) * plot) : 0;
    return [
      `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end" class="label">${escapeXml(bar.label)}</text>`,
      `<rect x="${labelWidth}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowHeight - 6}" fill="${bar.highlight ? '#d9822b' : '#3b6fb6'}"><title>${escapeXml(`${bar.label}: ${bar.value} ${input.unit}`)}</title></rect>`,
      `<text x="${(labelWidth + w + 6).toFixed(1)}" y="${y + 15}" class="value">${escapeXml(compactNumber(bar.value))}</text>`,
    ].join('');
  });
  const axisY = top + input.bars.length * rowHeight + 4;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(input.title)}">`,
    `<text x="0" y="16" class="title">${escapeXml(input.title)}</text>`,
    ...rows,
    `<line x1="${labelWidth}" y1="${axisY}" x2="${labelWidth + plot}" y2="${axisY}" class="axis"/>`,
    `<text x="${labelWidth}" y="${axisY + 16}" class="tick">0</text>`,
    `<text x="${labelWidth + plot}" y="${axisY + 16}" text-anchor="end" class="tick">${escapeXml(`${compactNumber(max)} ${input.unit}`)}</text>`,
    '</svg>',
  ].join('\n');
}
