import { PEER, type BenchResult } from './result.js';

/** A plain text table: a header row, a rule, right-aligned numbers. */
export function textTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => /^[\d.,%x:/ -]*[\dx%]$|^-$|^$/.test(r[i] ?? '')));
  const line = (cells: string[]) => cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export const fmtRate = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '-' : Math.round(n).toLocaleString('en-US'));
export const fmtRatio = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '-' : `${n.toFixed(2)}x`);
const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

/** The console report: throughput and memory (with ratios to the peer), Redis, accuracy, targets. */
export function renderBenchTables(result: BenchResult): string {
  const out: string[] = [];
  const limiters = [...new Set(result.memoryThroughput.map((r) => r.limiter))];
  const mem = (l: string, t: string) => result.memoryThroughput.find((r) => r.limiter === l && r.trace === t);
  const bytes = (l: string) => result.memoryUsage.find((r) => r.limiter === l)?.bytesPerKey;
  const vs = (value: number | undefined, peer: number | undefined) => (value !== undefined && peer ? fmtRatio(value / peer) : '-');
  const s = result.settings;
  out.push(
    `Memory store, single-threaded: decisions/s (median of ${s.repetitions}; ${s.throughputKeys.toLocaleString('en-US')} keys, limit ${s.throughputLimit}); bytes per key at ${s.memoryKeys.toLocaleString('en-US')} keys (median of ${s.memoryRepetitions})`,
  );
  out.push(
    textTable(
      ['limiter', '50% refused', 'vs peer', 'all admitted', 'vs peer', 'bytes/key', 'vs peer'],
      limiters.map((l) => [
        l,
        fmtRate(mem(l, 'half-refused')?.decisionsPerSecond),
        l === PEER ? '' : vs(mem(l, 'half-refused')?.decisionsPerSecond, mem(PEER, 'half-refused')?.decisionsPerSecond),
        fmtRate(mem(l, 'all-admitted')?.decisionsPerSecond),
        l === PEER ? '' : vs(mem(l, 'all-admitted')?.decisionsPerSecond, mem(PEER, 'all-admitted')?.decisionsPerSecond),
        fmt(bytes(l) ?? NaN, 0),
        l === PEER ? '' : vs(bytes(l), bytes(PEER)),
      ]),
    ),
  );
  if (result.redisThroughput.length) {
    const red = (l: string, c: number) => result.redisThroughput.find((r) => r.limiter === l && r.concurrency === c);
    out.push('', `Redis store, one connection: decisions/s at concurrency 1, 16, 64 (median of ${s.redisRepetitions}; about half refused)`);
    out.push(
      textTable(
        ['limiter', 'c=1', 'c=16', 'c=64', 'vs peer @64', 'round trips'],
        limiters.map((l) => [
          l,
          fmtRate(red(l, 1)?.decisionsPerSecond),
          fmtRate(red(l, 16)?.decisionsPerSecond),
          fmtRate(red(l, 64)?.decisionsPerSecond),
          l === PEER ? '' : vs(red(l, 64)?.decisionsPerSecond, red(PEER, 64)?.decisionsPerSecond),
          fmt(red(l, 64)?.commandsPerDecision ?? NaN, 2),
        ]),
      ),
    );
    if (result.redisAgreement.length) {
      const differing = result.redisAgreement.filter((a) => a.differing > 0);
      out.push(
        differing.length
          ? `Redis vs memory on the boundary trace: DIFFERENT decisions for ${differing.map((a) => `${a.limiter} (${a.differing})`).join(', ')}`
          : `Redis vs memory on the boundary trace: identical decisions for all ${result.redisAgreement.length} algorithms`,
      );
    }
  }
  const p = s.accuracyPolicy;
  out.push('', `Accuracy against the sliding-log ideal (N = ${p.limit} per W = ${p.windowMs / 1000} s; OA(d) = most admitted in any interval d / N)`);
  for (const trace of result.traces) {
    out.push(`${trace.name}: ${trace.description} (${trace.requests.toLocaleString('en-US')} requests)`);
    out.push(
      textTable(
        ['limiter', 'admitted', 'vs ideal', 'OA(W)', 'OA(W/2)', 'OA(W/10)', 'false rejections'],
        result.accuracy
          .filter((a) => a.trace === trace.name)
          .map(({ limiter, metrics: m }) => [
            limiter,
            String(m.admitted),
            fmtRatio(m.admittedRatio),
            fmt(m.oa.W),
            fmt(m.oa.halfW),
            fmt(m.oa.tenthW),
            `${m.falseRejections} (${(m.falseRejectionRate * 100).toFixed(1)}%)`,
          ]),
      ),
    );
  }
  out.push('', 'Targets (ratios against the peer in this run)');
  out.push(textTable(['algorithm', 'target', 'required', 'measured', 'met'], result.targets.map((t) => [t.limiter, t.target, t.required, t.measured, t.met === null ? '-' : t.met ? 'yes' : 'NO'])));
  for (const note of result.notes) out.push(`note: ${note}`);
  return `${out.join('\n')}\n`;
}
