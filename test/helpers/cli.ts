import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { watchRss } from './rss.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'gauntlet.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident memory of the gauntlet process, in MiB. */
  peakRssMiB: number;
  durationMs: number;
}

/** Runs the built CLI (npm test builds first) as a user would, with a hard time limit. */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      // Plain output unless a test asks otherwise: a FORCE_COLOR from the outer environment (a CI job) would win over NO_COLOR.
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const started = Date.now();
    const rss = watchRss(child.pid!);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rss.stop();
      reject(new Error(`gauntlet ${args.join(' ')} did not finish within ${options.timeoutMs ?? 60_000}ms\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, peakRssMiB: rss.stop(), durationMs: Date.now() - started });
    });
  });
}
