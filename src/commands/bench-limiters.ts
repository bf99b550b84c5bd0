import { resolve } from 'node:path';
import { renderBenchHtml } from '../bench/html.js';
import { loadPeer } from '../bench/peer.js';
import { runBench } from '../bench/run-bench.js';
import { renderBenchTables } from '../bench/table.js';
import { createRedisClient, waitUntilReady } from '../reference/limiters/stores/redis-client.js';
import { writeFileAtomic } from '../report/write-file.js';
import { findRedisServer, startLocalRedis, type LocalRedis } from '../util/local-redis.js';
import { EXIT, GauntletError } from '../util/errors.js';
import { redactArgs, redactUrl } from '../util/redact-url.js';
import type { CommandIO } from './io.js';

export interface BenchLimitersArgs {
  quick: boolean;
  json?: string;
  html?: string;
  redisUrl?: string;
  redis: boolean;
  argv: string[];
}

/** `gauntlet bench limiters`: runs the limiter benchmark, prints the tables, writes JSON and HTML if asked. */
export async function benchLimitersCommand(args: BenchLimitersArgs, io: CommandIO): Promise<number> {
  if (args.redisUrl !== undefined && !/^rediss?:\/\//.test(args.redisUrl)) throw new GauntletError('E_USAGE', `--redis-url expects redis://host:port; got '${redactUrl(args.redisUrl)}'`);
  const notes: string[] = [];
  const { peer, reason } = await loadPeer();
  if (!peer) {
    notes.push(reason!);
    io.stderr.write(`warning: ${reason}\n`);
  }

  let ownRedis: LocalRedis | undefined;
  let redis: { url: string; own: boolean } | undefined;
  if (!args.redis) notes.push('Redis rows skipped (--no-redis)');
  else if (args.redisUrl) {
    const probe = createRedisClient(args.redisUrl, { connectTimeoutMs: 3000 });
    const ready = await waitUntilReady(probe, 3000);
    probe.disconnect();
    if (!ready) {
      throw new GauntletError(
        'E_REDIS_UNREACHABLE',
        `Redis at ${redactUrl(args.redisUrl)} is not answering; start it, or leave out --redis-url (a private redis-server is started when one is installed), or pass --no-redis`,
        EXIT.unreachable,
      );
    }
    redis = { url: args.redisUrl, own: false };
  }
  else {
    const binary = findRedisServer();
    if (binary) {
      ownRedis = await startLocalRedis(binary);
      redis = { url: ownRedis.url, own: true };
    } else {
      notes.push('Redis rows skipped: no --redis-url and no redis-server binary (apt-get install redis-server)');
    }
  }
  const command = `gauntlet ${redactArgs(args.argv).join(' ')}`;
  try {
    io.stderr.write(`benchmarking limiters${args.quick ? ' (quick)' : ''}: memory${redis ? ' and Redis' : ''} stores, peer ${peer ? `${peer.name} ${peer.version}` : 'missing'}\n`);
    const result = await runBench({ quick: args.quick, peer, redis: redis && { url: redactUrl(redis.url), own: redis.own }, redisUrl: redis?.url, notes, command, progress: io.stderr });
    io.stdout.write(renderBenchTables(result));
    io.stdout.write(`\n${args.quick ? 'quick run' : 'run'} took ${(result.durationMs / 1000).toFixed(1)} s\n`);
    if (args.json) io.stdout.write(`JSON: ${writeFileAtomic(resolve(args.json), `${JSON.stringify(result, null, 2)}\n`)}\n`);
    if (args.html) io.stdout.write(`HTML: ${writeFileAtomic(resolve(args.html), renderBenchHtml(result))}\n`);
    return EXIT.ok;
  } finally {
    await ownRedis?.stop();
  }
}
