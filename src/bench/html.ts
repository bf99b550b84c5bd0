import { createHash } from 'node:crypto';
import { renderChart } from '../report/charts/render-chart.js';
import { xmlEscape as escapeXml } from '../report/xml.js';
import { PEER, type BenchResult } from './result.js';
import { fmtRate, fmtRatio } from './table.js';

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:960px;color:#222;padding:0 16px}
h1{font-size:22px}h2{font-size:17px;margin-top:32px;border-bottom:1px solid #ddd;padding-bottom:4px}
table{border-collapse:collapse;margin:8px 0 16px;font-size:13px}th,td{padding:3px 10px;border-bottom:1px solid #eee;text-align:right}
th:first-child,td:first-child{text-align:left}td.no{color:#b00020;font-weight:600}td.yes{color:#1b7f3b}
.meta{color:#555;font-size:13px}svg{display:block;margin:8px 0 20px;max-width:100%;height:auto}
`;

/** Bars in two groups, so the peer gets its own colour; a missing figure draws as 0. */
const bar = (limiter: string, value: number | undefined) => ({ label: limiter, value: value ?? 0, group: limiter === PEER ? 'peer' : 'gauntlet' });
const cell = (text: string, cls = '') => `<td${cls ? ` class="${cls}"` : ''}>${escapeXml(text)}</td>`;
const row = (cells: string[]) => `<tr>${cells.join('')}</tr>`;
const head = (names: string[]) => `<tr>${names.map((n) => `<th>${escapeXml(n)}</th>`).join('')}</tr>`;

/**
 * The benchmark as one self-contained page: inline CSS (allowed by hash), inline SVG charts, no script and
 * nothing fetched. The charts are the HTML report's (src/report/charts/), drawn from the same data shapes.
 */
export function renderBenchHtml(result: BenchResult): string {
  const csp = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(CSS).digest('base64')}'; img-src data:`;
  const limiters = [...new Set(result.memoryThroughput.map((r) => r.limiter))];
  const mem = (l: string, t: string) => result.memoryThroughput.find((r) => r.limiter === l && r.trace === t)?.decisionsPerSecond;
  const bytes = (l: string) => result.memoryUsage.find((r) => r.limiter === l)?.bytesPerKey;
  const red = (l: string, c: number) => result.redisThroughput.find((r) => r.limiter === l && r.concurrency === c);
  const s = result.settings;
  const sections: string[] = [];

  sections.push(`<h2>Admitted per time bucket on the boundary trace</h2>
<p>${escapeXml(result.traces.find((t) => t.name === 'boundary')?.description ?? '')}. N = ${result.boundary.limit} per W = ${result.boundary.windowMs / 1000} s. Zoomed on the first boundary (dashed), buckets of ${result.boundary.bucketMs / 1000} s: a fixed window admits N on each side of it, the sliding log N in all; a leaky queue serves at an even pace. The last row is the exact sliding-log ideal.</p>`);
  sections.push(
    renderChart({
      type: 'buckets',
      title: 'admitted per bucket (boundary trace)',
      series: result.boundary.series.map((s) => ({ name: s.limiter, counts: s.counts })),
      startMs: result.boundary.startMs,
      bucketMs: result.boundary.bucketMs,
      guidesMs: [result.boundary.windowMs],
    }),
  );

  sections.push(`<h2>Memory store throughput and memory</h2><p>Single-threaded decisions/s, median of ${s.repetitions} runs, ${s.throughputKeys} keys; bytes per key at ${s.memoryKeys} keys. The peer (${escapeXml(PEER)}) is orange.</p>`);
  for (const [trace, title] of [['half-refused', 'decisions/s, 50% refused'], ['all-admitted', 'decisions/s, all admitted']] as const) {
    sections.push(renderChart({ type: 'bars', title, unit: 'decisions/s', bars: limiters.map((l) => bar(l, mem(l, trace))) }));
  }
  sections.push(renderChart({ type: 'bars', title: `bytes per key at ${s.memoryKeys} keys`, unit: 'bytes', bars: limiters.map((l) => bar(l, bytes(l))) }));
  sections.push(
    `<table>${head(['limiter', '50% refused', 'vs peer', 'all admitted', 'vs peer', 'bytes/key', 'vs peer'])}${limiters
      .map((l) =>
        row([
          cell(l),
          cell(fmtRate(mem(l, 'half-refused'))),
          cell(l === PEER ? '' : fmtRatio((mem(l, 'half-refused') ?? NaN) / (mem(PEER, 'half-refused') ?? NaN))),
          cell(fmtRate(mem(l, 'all-admitted'))),
          cell(l === PEER ? '' : fmtRatio((mem(l, 'all-admitted') ?? NaN) / (mem(PEER, 'all-admitted') ?? NaN))),
          cell(fmtRate(bytes(l))),
          cell(l === PEER ? '' : fmtRatio((bytes(l) ?? NaN) / (bytes(PEER) ?? NaN))),
        ]),
      )
      .join('')}</table>`,
  );

  if (result.redisThroughput.length) {
    sections.push(`<h2>Redis store throughput</h2><p>One connection, median of ${s.redisRepetitions} runs, about half refused.</p>`);
    sections.push(renderChart({ type: 'bars', title: 'decisions/s at concurrency 64', unit: 'decisions/s', bars: limiters.map((l) => bar(l, red(l, 64)?.decisionsPerSecond)) }));
    sections.push(
      `<table>${head(['limiter', 'c=1', 'c=16', 'c=64', 'vs peer @64', 'round trips'])}${limiters
        .map((l) =>
          row([
            cell(l),
            cell(fmtRate(red(l, 1)?.decisionsPerSecond)),
            cell(fmtRate(red(l, 16)?.decisionsPerSecond)),
            cell(fmtRate(red(l, 64)?.decisionsPerSecond)),
            cell(l === PEER ? '' : fmtRatio((red(l, 64)?.decisionsPerSecond ?? NaN) / (red(PEER, 64)?.decisionsPerSecond ?? NaN))),
            cell(String(red(l, 64)?.commandsPerDecision ?? '-')),
          ]),
        )
        .join('')}</table>`,
    );
  }

  sections.push('<h2>Accuracy against the sliding-log ideal</h2><p>OA(d): the most admitted in any interval of length d, divided by N (1.00 is the most a correct limiter allows). False rejections: refused although fewer than N had been admitted in the trailing window.</p>');
  for (const trace of result.traces) {
    sections.push(`<h3>${escapeXml(trace.name)}</h3><p class="meta">${escapeXml(trace.description)}; ${trace.requests} requests</p>`);
    sections.push(
      `<table>${head(['limiter', 'admitted', 'vs ideal', 'OA(W)', 'OA(W/2)', 'OA(W/10)', 'false rejections'])}${result.accuracy
        .filter((a) => a.trace === trace.name)
        .map(({ limiter, metrics: m }) =>
          row([cell(limiter), cell(String(m.admitted)), cell(fmtRatio(m.admittedRatio)), cell(m.oa.W.toFixed(2)), cell(m.oa.halfW.toFixed(2)), cell(m.oa.tenthW.toFixed(2)), cell(`${m.falseRejections} (${(m.falseRejectionRate * 100).toFixed(1)}%)`)]),
        )
        .join('')}</table>`,
    );
  }

  sections.push(
    `<h2>Targets</h2><table>${head(['algorithm', 'target', 'required', 'measured', 'met'])}${result.targets
      .map((t) => row([cell(t.limiter), cell(t.target), cell(t.required), cell(t.measured), cell(t.met === null ? '-' : t.met ? 'yes' : 'no', t.met === null ? '' : t.met ? 'yes' : 'no')]))
      .join('')}</table>`,
  );
  const notes = result.notes.map((n) => `<li>${escapeXml(n)}</li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>gauntlet limiter benchmark</title><style>${CSS}</style></head>
<body><h1>gauntlet limiter benchmark</h1>
<p class="meta">${escapeXml(result.command)} &middot; ${escapeXml(result.generatedAt)} &middot; ${escapeXml(result.machine.cpuModel)} (${result.machine.cpus} CPUs), Node ${escapeXml(result.machine.node)} &middot; peer: ${escapeXml(result.peer ? `${result.peer.name} ${result.peer.version}` : 'not measured')} &middot; Redis: ${escapeXml(result.redis ? (result.redis.own ? 'own redis-server' : result.redis.url) : 'not measured')}</p>
${notes ? `<ul>${notes}</ul>` : ''}
${sections.join('\n')}
</body></html>
`;
}
