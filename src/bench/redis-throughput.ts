import type { Redis } from 'ioredis';
import type { AlgorithmName } from '../reference/limiters/algorithms/types.js';
import { createRedisClient, waitUntilReady } from '../reference/limiters/stores/redis-client.js';
import { RedisStore } from '../reference/limiters/stores/redis.js';
import { redactUrl } from '../util/redact-url.js';
import type { ThroughputSample } from './memory-throughput.js';
import { peerAllows, type Peer } from './peer.js';

const HOUR_MS = 3_600_000;

/** Something that decides one request against Redis; resolves to whether it was admitted. */
type Decider = (key: string) => Promise<boolean>;

export interface RedisTarget {
  url: string;
  /** A prefix no one else uses; every key written under it is deleted after each measurement. */
  prefix: string;
}

let measurement = 0;

/** Runs `run` with a fresh limiter client on `url`, then disconnects. */
export async function withClient<T>(url: string, run: (client: Redis) => Promise<T>): Promise<T> {
  const client = createRedisClient(url, { commandTimeoutMs: 10_000 });
  if (!(await waitUntilReady(client, 5000))) {
    client.disconnect();
    throw new Error(`Redis at ${redactUrl(url)} is not answering`);
  }
  try {
    return await run(client);
  } finally {
    client.disconnect();
  }
}

/** Deletes every key under a prefix (SCAN + UNLINK), so a user's Redis is left as it was. */
async function deletePrefix(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length) await client.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/**
 * Decisions per second at `concurrency` requests in flight on one connection: `keys` visited round-robin,
 * `perKey` requests each, against `limit` per hour. Also counts the commands sent per decision, on a separate
 * short pass, to show each decision is one round trip.
 */
async function measure(
  target: RedisTarget,
  makeDecider: (client: Redis, prefix: string) => Promise<Decider>,
  keys: string[],
  perKey: number,
  concurrency: number,
): Promise<ThroughputSample & { commandsPerDecision: number }> {
  return withClient(target.url, async (client) => {
    const prefix = `${target.prefix}${++measurement}:`;
    const decide = await makeDecider(client, prefix);
    const commandsPerDecision = await countCommands(client, () => decide(`warm-${measurement}`), 20);
    const total = keys.length * perKey;
    let next = 0;
    let refused = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = next++; i < total; i = next++) if (!(await decide(keys[i % keys.length]!))) refused++;
      }),
    );
    const elapsed = performance.now() - started;
    await deletePrefix(client, prefix);
    return { decisionsPerSecond: (total / elapsed) * 1000, refused, decisions: total, commandsPerDecision };
  });
}

async function countCommands(client: Redis, decide: () => Promise<unknown>, times: number): Promise<number> {
  await decide();
  let sent = 0;
  const original = client.sendCommand.bind(client);
  client.sendCommand = ((command: never) => {
    sent++;
    return original(command);
  }) as typeof client.sendCommand;
  try {
    for (let i = 0; i < times; i++) await decide();
  } finally {
    client.sendCommand = original;
  }
  return sent / times;
}

export function measureRedisStore(target: RedisTarget, algorithm: AlgorithmName, keys: string[], limit: number, perKey: number, concurrency: number) {
  return measure(
    target,
    async (client, prefix) => {
      const store = new RedisStore({ client, algorithm, policies: [{ limit, windowMs: HOUR_MS }], prefix });
      await store.load();
      return async (key) => (await store.consume(key)).allowed;
    },
    keys,
    perKey,
    concurrency,
  );
}

export function measurePeerRedis(target: RedisTarget, peer: Peer, keys: string[], limit: number, perKey: number, concurrency: number) {
  return measure(
    target,
    async (client, prefix) => {
      const limiter = peer.redis({ points: limit, durationSeconds: HOUR_MS / 1000, client, keyPrefix: prefix.replace(/:$/, '') });
      return (key) => peerAllows(limiter, key);
    },
    keys,
    perKey,
    concurrency,
  );
}

