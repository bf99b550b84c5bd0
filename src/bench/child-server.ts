import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ChildServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Runs a benchmark target in its own process, so the server's event loop does not share a thread with the
 * client being measured. `kind` selects the server (see child-server-main.ts). Waits at most 10 s for its URL.
 */
export function startChildServer(kind: 'reference' | 'arrivals'): Promise<ChildServer> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./child-server-main.js', import.meta.url)), [kind], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`benchmark server (${kind}) did not start within 10 s`));
    }, 10_000);
    child.once('error', reject);
    child.once('message', (message: { url: string }) => {
      clearTimeout(timer);
      resolve({
        url: message.url,
        pid: child.pid!,
        stop: () =>
          new Promise<void>((done) => {
            const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
            child.once('exit', () => (clearTimeout(kill), done()));
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
