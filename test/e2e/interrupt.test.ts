import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/results/model.js';
import { BIN } from '../helpers/cli.js';
import { startHostile } from '../helpers/hostile-servers.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir();
afterAll(() => dir.remove());

/** Starts gauntlet, waits for a line on stdout or stderr matching `ready`, sends SIGINT, and times the exit. */
async function interruptWhen(args: string[], ready: RegExp): Promise<{ code: number | null; stopMs: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`never saw ${ready}: ${stdout}\n${stderr}`)), 20_000);
    const check = () => {
      if (ready.test(stdout + stderr)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', (d) => ((stdout += d), check()));
    child.stderr.on('data', (d) => ((stderr += d), check()));
  });
  const sentAt = Date.now();
  child.kill('SIGINT');
  const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const code = await exited;
  clearTimeout(kill);
  return { code, stopMs: Date.now() - sentAt, stdout, stderr };
}

describe('SIGINT', () => {
  it('stops a run within 2 s, writes the partial report marked interrupted, and exits 130', async () => {
    const silent = await startHostile('never-answers');
    try {
      const scenario = dir.file(
        'slow.yaml',
        `name: slow\nchecks:\n${Array.from({ length: 5 }, (_, i) => `  - { id: slow.${i}, kind: http, severity: low, request: { path: /x }, expect: { status: 200 } }`).join('\n')}\n`,
      );
      const out = join(dir.path, 'out');
      const result = await interruptWhen(['run', scenario, '--target', silent.url, '--timeout', '60s', '-r', 'console,json,html', '-o', out], /5 check\(s\)/);
      expect(result.code).toBe(130);
      expect(result.stopMs).toBeLessThan(2000);
      expect(result.stderr).toContain('interrupted');
      const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
      expect(run.interrupted).toBe(true);
      expect(run.verdict.exitCode).toBe(130);
      expect(existsSync(join(out, 'gauntlet-report.html'))).toBe(true);
      expect(readFileSync(join(out, 'gauntlet-report.html'), 'utf8')).toContain('Interrupted:');
    } finally {
      await silent.close();
    }
  });

  it('lets the reference server drain an in-flight request before it exits', async () => {
    const child = spawn(process.execPath, [BIN, 'serve'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('serve printed no URL')), 10_000);
      child.stdout.on('data', (d: Buffer) => {
        const match = /http:\/\/127\.0\.0\.1:\d+/.exec(d.toString());
        if (match) (clearTimeout(timer), resolve(match[0]));
      });
    });
    const inFlight = fetch(`${url}/api/slow?ms=800`, { signal: AbortSignal.timeout(10_000) });
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGINT');
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ waitedMs: 800 });
    expect(await exited).toBe(0);
    await expect(fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
  });
});
