import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { closedPort } from './servers.js';
import { startForeground, waitForPort } from './service-process.js';
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
    const child = startForeground(binary, ['-c', conf, '-p', `${dir.path}/`, '-e', join(dir.path, 'startup.log')]);
    const ready = await Promise.race([waitForPort(port, 10_000), child.exited.then(() => false)]);
    if (ready) return { port, stop: child.stop, errorLog: () => readLog(join(dir.path, 'error.log')) };
    await child.stop();
    const log = `${child.output()}\n${readLog(join(dir.path, 'startup.log'))}\n${readLog(join(dir.path, 'error.log'))}`;
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
