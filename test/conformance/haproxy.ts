import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { closedPort } from '../helpers/servers.js';
import type { TempDir } from '../helpers/temp.js';

export interface RunningHaproxy {
  ports: number[];
  stop(): Promise<void>;
  output(): string;
}

/**
 * Starts Debian's haproxy in the foreground (-db) with a config written into `dir`, on `portCount` free loopback
 * ports, and waits until each accepts connections. `config(ports)` returns the whole haproxy.cfg.
 */
export async function startHaproxy(binary: string, dir: TempDir, portCount: number, config: (ports: number[]) => string): Promise<RunningHaproxy> {
  for (let attempt = 1; ; attempt++) {
    const ports: number[] = [];
    for (let i = 0; i < portCount; i++) ports.push(await closedPort());
    const file = dir.file('haproxy.cfg', config(ports));
    const child = spawn(binary, ['-f', file, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const ready = await Promise.race([Promise.all(ports.map((p) => waitForPort(p, 10_000))).then((open) => open.every(Boolean)), exited.then(() => false)]);
    if (ready) return { ports, stop: () => stop(child, exited), output: () => output };
    await stop(child, exited);
    if (attempt >= 3 || !/Address already in use/.test(output)) throw new Error(`haproxy did not start:\n${output}`);
  }
}

async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

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
