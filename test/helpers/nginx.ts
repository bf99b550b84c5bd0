import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { closedPort } from './servers.js';
import type { TempDir } from './temp.js';

export interface RunningNginx {
  port: number;
  stop(): Promise<void>;
  errorLog(): string;
}

/**
 * Starts Debian's nginx in the foreground with a config written into `dir` (pid and logs there too), on a free
 * loopback port, and waits until it accepts connections. `config(port)` returns the whole nginx.conf.
 */
export async function startNginx(binary: string, dir: TempDir, config: (port: number) => string, attempts = 3): Promise<RunningNginx> {
  for (let attempt = 1; ; attempt++) {
    const port = await closedPort();
    const conf = dir.file('nginx.conf', config(port));
    const child = spawn(binary, ['-c', conf, '-p', `${dir.path}/`, '-e', join(dir.path, 'startup.log')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const ready = await Promise.race([waitForPort(port, 10_000), exited.then(() => false)]);
    if (ready) {
      return { port, stop: () => stop(child, exited), errorLog: () => readLog(join(dir.path, 'error.log')) };
    }
    await stop(child, exited);
    const log = `${output}\n${readLog(join(dir.path, 'startup.log'))}\n${readLog(join(dir.path, 'error.log'))}`;
    if (attempt >= attempts || !/Address already in use/.test(log)) throw new Error(`nginx did not start:\n${log}`);
  }
}

function readLog(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Polls until something accepts TCP connections on the port, within the deadline. */
async function waitForPort(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.setTimeout(500, () => socket.destroy());
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
      socket.once('close', () => resolve(false));
    });
    if (open) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}
