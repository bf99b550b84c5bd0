import { closedPort } from './servers.js';
import { startForeground, waitForPort } from './service-process.js';
import type { TempDir } from './temp.js';

export interface RunningHaproxy {
  port: number;
  /** The config it runs, as written (for failure messages). */
  config: string;
  /** Its log so far: with haproxyGlobal()'s `log stderr`, every request and every refused handshake. */
  log(): string;
  stop(): Promise<void>;
}

/**
 * `global` and `defaults` sections for a test: one thread, logs to stderr (read back with log()), HTTP mode with
 * short timeouts. Append frontends (and backends, stick-tables, ...) after it.
 */
export function haproxyGlobal(): string {
  return `global
  nbthread 1
  log stderr format raw local0 info

defaults
  mode http
  log global
  option httplog
  timeout connect 5s
  timeout client 10s
  timeout server 10s
`;
}

/**
 * Starts Debian's haproxy in the foreground (`-db`) with `config(port)` as its whole haproxy.cfg, written into
 * `dir` under `name`, on a free loopback port, and waits until the port accepts connections. The config is
 * checked as haproxy loads it: an error fails here with haproxy's own message. Other ports a config needs (a
 * backend, a second frontend) come from the caller (closedPort()). A per-client rate limit, say:
 *
 *   startHaproxy(binary, dir, (port) => `${haproxyGlobal()}
 *   frontend api
 *     bind 127.0.0.1:${port}
 *     stick-table type ip size 100k expire 10s store http_req_rate(10s)
 *     http-request track-sc0 src
 *     http-request deny deny_status 429 if { sc_http_req_rate(0) gt 10 }
 *     http-request return status 200 content-type application/json string '{"ok":true}'
 *   `);
 */
export async function startHaproxy(binary: string, dir: TempDir, config: (port: number) => string, options: { name?: string; attempts?: number } = {}): Promise<RunningHaproxy> {
  const name = options.name ?? 'haproxy.cfg';
  for (let attempt = 1; ; attempt++) {
    const port = await closedPort();
    const text = config(port);
    const file = dir.file(name, text);
    const child = startForeground(binary, ['-db', '-f', file]);
    const ready = await Promise.race([waitForPort(port, 10_000), child.exited.then(() => false)]);
    if (ready) return { port, config: text, log: child.output, stop: child.stop };
    await child.stop();
    const output = child.output();
    // Another process may take the port between closedPort() and haproxy's bind: try another.
    if (attempt >= (options.attempts ?? 3) || !/Address already in use/.test(output)) throw new Error(`haproxy did not start with ${file}:\n${output}\n--- config ---\n${text}`);
  }
}
