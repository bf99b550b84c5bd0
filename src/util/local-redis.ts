import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { delimiter, join } from 'node:path';

export interface LocalRedis {
  url: string;
  port: number;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s); the port can be started again. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty (persistence is off). */
  start(): Promise<void>;
}

/**
 * A throwaway redis-server on a free 127.0.0.1 port with persistence off, for tests and the benchmark. Resolves
 * once it answers PING; rejects with its output if it does not within `timeoutMs`.
 */
export async function startLocalRedis(binary: string, options: { timeoutMs?: number; port?: number } = {}): Promise<LocalRedis> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const port = options.port ?? (await freePort());
  let child: ChildProcess | undefined;

  const start = async () => {
    const output: string[] = [];
    child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no', '--loglevel', 'warning'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d) => output.push(String(d)));
    child.stderr?.on('data', (d) => output.push(String(d)));
    const exited = new Promise<never>((_, reject) =>
      child!.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before answering PING:\n${output.join('')}`))),
    );
    exited.catch(() => {});
    await Promise.race([waitForPing(port, child.pid, timeoutMs), exited]).catch((error) => {
      child?.kill('SIGKILL');
      throw error;
    });
  };

  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  await start();
  return { url: `redis://127.0.0.1:${port}`, port, stop, start };
}

/** The redis-server binary on PATH (or in /usr/sbin, /usr/bin), or undefined. */
export function findRedisServer(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/bin'].filter(Boolean);
  for (const dir of dirs) {
    try {
      accessSync(join(dir, 'redis-server'), constants.X_OK);
      return join(dir, 'redis-server');
    } catch {
      // keep looking
    }
  }
  return undefined;
}

/** A loopback port nothing listens on (bound, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Sends PING (and INFO server) every 50 ms until +PONG comes back from *this* redis-server (its process id), or
 * rejects after timeoutMs. The pid check matters: if another test grabbed the same free port first, its server
 * would answer PING while ours failed to bind.
 */
async function waitForPing(port: number, pid: number | undefined, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastPid: number | undefined;
  while (Date.now() < deadline) {
    lastPid = await pingOnce(port, Math.min(1000, deadline - Date.now()));
    if (lastPid !== undefined && lastPid === pid) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const other = lastPid !== undefined ? ` (another redis-server, pid ${lastPid}, answers on that port)` : '';
  throw new Error(`redis-server on 127.0.0.1:${port} did not answer PING within ${timeoutMs} ms${other}`);
}

/** The answering server's process id after a +PONG, or undefined. */
function pingOnce(port: number, timeoutMs: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const finish = (pid: number | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(pid);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    socket.on('connect', () => socket.write('PING\r\nINFO server\r\n'));
    socket.on('data', (d) => {
      reply += String(d);
      if (!reply.startsWith('+PONG')) return reply.includes('\r\n') ? finish(undefined) : undefined;
      const match = /process_id:(\d+)/.exec(reply);
      if (match) finish(Number(match[1]));
    });
    socket.on('error', () => finish(undefined));
  });
}
