import { hostname } from 'node:os';
import type { Redis, RedisOptions } from 'ioredis';
import { EXIT, GauntletError } from '../util/errors.js';
import { requireOptional } from '../util/optional-dependency.js';
import { redactUrl } from '../util/redact-url.js';
import type { FromWorker, PlanMessage, ToWorker } from './protocol.js';
import type { CoordinatorTransport, SharedClock, WorkerTransport } from './transport.js';
import { COORDINATION_KEY_ENV, MessageSeal } from './message-seal.js';

/** A run's keys expire on their own after this, whatever happens to its processes. */
const KEY_TTL_MS = 6 * 3_600_000;
/** The coordinator's lock: refreshed every LOCK_REFRESH_MS; a coordinator that died frees its run name after LOCK_TTL_MS. */
const LOCK_TTL_MS = 10_000;
const LOCK_REFRESH_MS = 2_000;
/** Blocking reads wake at least this often, so every wait stays bounded and stops promptly. */
const BLOCK_SECONDS = 1;
const CONNECT_TIMEOUT_MS = 5_000;
const CONNECT_RETRY_MS = 500;

/** The keys of one named run: `gauntlet:run:<name>:plan`, `...:lock`, `...:from`, `...:to:<worker>`. */
function keys(runName: string) {
  const prefix = `gauntlet:run:${runName}:`;
  return { prefix, plan: `${prefix}plan`, lock: `${prefix}lock`, from: `${prefix}from`, to: (worker: string) => `${prefix}to:${worker}` };
}

/** Every key of one run, by SCAN (KEYS would block a Redis shared with other work while it walks every key). */
async function keysOfRun(client: Redis, prefix: string): Promise<string[]> {
  const found = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    for (const key of batch) found.add(key);
    cursor = next;
  } while (cursor !== '0');
  return [...found];
}

/**
 * An ioredis client that fails fast once connected (no queue of commands waiting for a dead server), tried again
 * until `withinMs` has passed: in a cluster the workers, the coordinator and Redis start together.
 */
async function connect(url: string, purpose: string, withinMs: number): Promise<Redis> {
  const { Redis: RedisClient } = requireOptional<typeof import('ioredis')>('ioredis', 'distributed load (--coordinator, gauntlet worker)');
  const options: RedisOptions = { lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: (times) => (times > 3 ? null : 200 * times) };
  const deadline = Date.now() + withinMs;
  for (;;) {
    const client = new RedisClient(url, options);
    client.on('error', () => {});
    try {
      await client.connect();
      await client.ping();
      return client;
    } catch (error) {
      client.disconnect();
      if (Date.now() + CONNECT_RETRY_MS >= deadline) {
        throw new GauntletError('E_REDIS_UNREACHABLE', `cannot reach the coordination Redis ${redactUrl(url)} for ${purpose} (tried for ${Math.round(withinMs / 1000)}s): ${(error as Error).message}`, EXIT.unreachable);
      }
      await new Promise((resolve) => setTimeout(resolve, CONNECT_RETRY_MS));
    }
  }
}

/** Redis's clock, seen from here: the offset measured over one TIME round trip. */
async function redisClock(client: Redis): Promise<SharedClock> {
  const before = Date.now();
  const [seconds, micros] = (await client.time()) as [string | number, string | number];
  const after = Date.now();
  const offset = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) - (before + after) / 2;
  return { now: () => Date.now() + offset };
}

/**
 * The coordinator's end over Redis. It holds the run name's lock while it lives (a second coordinator with the same
 * name is refused), publishes the plan under the name, sends each worker's messages to its own list and reads all
 * workers' messages from one list. Nothing secret is written: the plan carries none (see profile-skeleton).
 */
export class RedisCoordinatorTransport implements CoordinatorTransport {
  readonly description: string;
  private handler: (message: FromWorker) => void = () => {};
  private closed = false;
  /** Messages refused by the seal, and the first reason: said once, as a hint that something else writes here. */
  private refused = 0;
  private readonly pump: Promise<void>;
  private readonly refresh: NodeJS.Timeout;

  private constructor(
    private readonly client: Redis,
    private readonly reader: Redis,
    readonly clock: SharedClock,
    private readonly names: ReturnType<typeof keys>,
    private readonly lockValue: string,
    private readonly seal: MessageSeal,
    url: string,
    runName: string,
    private readonly say: (line: string) => void,
  ) {
    this.description = `${redactUrl(url)} (run ${runName})`;
    this.refresh = setInterval(() => void this.client.pexpire(this.names.lock, LOCK_TTL_MS).catch(() => {}), LOCK_REFRESH_MS);
    this.pump = this.read();
  }

  static async open(url: string, runName: string, options: { withinMs: number; seal: MessageSeal; say(line: string): void }): Promise<RedisCoordinatorTransport> {
    const client = await connect(url, 'the coordinator', options.withinMs);
    const names = keys(runName);
    const lockValue = `${hostname()} pid ${process.pid} since ${new Date().toISOString()}`;
    const taken = await client.set(names.lock, lockValue, 'PX', LOCK_TTL_MS, 'NX');
    if (taken !== 'OK') {
      const holder = await client.get(names.lock);
      client.disconnect();
      throw new GauntletError('E_RUN_NAME_TAKEN', `a run named '${runName}' is in progress on ${redactUrl(url)} (coordinator ${holder ?? 'unknown'}): give this one another --run-id, or wait ${LOCK_TTL_MS / 1000}s after that coordinator is gone`);
    }
    // What an earlier run of this name left (workers' messages, a plan) must not be read as this run's.
    const stale = await keysOfRun(client, names.prefix);
    const others = stale.filter((k) => k !== names.lock);
    if (others.length) await client.del(...others);
    const reader = await connect(url, 'the coordinator', options.withinMs);
    if (!options.seal.signing) options.say(`coordinating over ${redactUrl(url)} without ${COORDINATION_KEY_ENV}: messages are not signed, so keep that Redis private to this run`);
    return new RedisCoordinatorTransport(client, reader, await redisClock(client), names, lockValue, options.seal, url, runName, options.say);
  }

  async publish(plan: PlanMessage): Promise<void> {
    await this.client.set(this.names.plan, this.seal.seal(plan), 'PX', KEY_TTL_MS);
  }

  async send(worker: string, message: ToWorker): Promise<void> {
    const key = this.names.to(worker);
    await this.client.multi().rpush(key, this.seal.seal(message)).pexpire(key, KEY_TTL_MS).exec();
  }

  onMessage(handler: (message: FromWorker) => void): void {
    this.handler = handler;
  }

  /** Over Redis a worker's death shows only as silence: the coordinator notices it (LOST_AFTER_MS). */
  onGone(): void {}

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.refresh);
    await this.pump;
    try {
      // The lock only if it is still ours; the run's keys go with it.
      if ((await this.client.get(this.names.lock)) === this.lockValue) {
        const all = await keysOfRun(this.client, this.names.prefix);
        if (all.length) await this.client.del(...all);
      }
    } finally {
      this.client.disconnect();
      this.reader.disconnect();
    }
  }

  private async read(): Promise<void> {
    while (!this.closed) {
      let popped: [string, string] | null = null;
      try {
        popped = await this.reader.blpop(this.names.from, BLOCK_SECONDS);
      } catch {
        // A dropped connection: workers then look silent, and the coordinator reports them lost.
        await new Promise((resolve) => setTimeout(resolve, 250));
        continue;
      }
      if (!popped) continue;
      const opened = this.seal.open<FromWorker>(popped[1]);
      if ('message' in opened) this.handler(opened.message);
      else if (this.refused++ === 0) this.say(`ignored a message in ${this.names.from}: ${opened.refused}`);
    }
  }
}

/** A worker's end over Redis. */
export class RedisWorkerTransport implements WorkerTransport {
  private constructor(
    private readonly client: Redis,
    private readonly reader: Redis,
    readonly clock: SharedClock,
    private readonly names: ReturnType<typeof keys>,
    private readonly seal: MessageSeal,
  ) {}

  static async open(url: string, runName: string, options: { withinMs: number; seal: MessageSeal }): Promise<RedisWorkerTransport> {
    const client = await connect(url, 'this worker', options.withinMs);
    const reader = await connect(url, 'this worker', options.withinMs);
    return new RedisWorkerTransport(client, reader, await redisClock(client), keys(runName), options.seal);
  }

  async plan(timeoutMs: number, signal: AbortSignal): Promise<PlanMessage> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && !signal.aborted) {
      const [plan, lock] = await Promise.all([this.client.get(this.names.plan), this.client.exists(this.names.lock)]);
      if (plan && lock) {
        const opened = this.seal.open<PlanMessage>(plan);
        if ('refused' in opened) throw new GauntletError('E_PLAN_REFUSED', `the plan published under this run name is refused: ${opened.refused}`);
        return opened.message;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new GauntletError('E_NO_PLAN', signal.aborted ? 'stopped while waiting for the coordinator' : `no coordinator published a plan within ${Math.round(timeoutMs / 1000)}s`, EXIT.unreachable);
  }

  async send(message: FromWorker): Promise<void> {
    await this.client.rpush(this.names.from, this.seal.seal(message));
  }

  async next(worker: string, timeoutMs: number): Promise<ToWorker | undefined> {
    const popped = await this.reader.blpop(this.names.to(worker), Math.max(0.1, timeoutMs / 1000));
    if (!popped) return undefined;
    const opened = this.seal.open<ToWorker>(popped[1]);
    // A message that is not the coordinator's is dropped; the coordinator's own come signed.
    return 'message' in opened ? opened.message : undefined;
  }

  /** The plan of `run` is still there and its coordinator still holds the lock. */
  async coordinatorAlive(run: string): Promise<boolean> {
    try {
      const [plan, lock] = await Promise.all([this.client.get(this.names.plan), this.client.exists(this.names.lock)]);
      if (lock !== 1 || plan === null) return false;
      const opened = this.seal.open<PlanMessage>(plan);
      return 'message' in opened && opened.message.run === run;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.client.disconnect();
    this.reader.disconnect();
  }
}
