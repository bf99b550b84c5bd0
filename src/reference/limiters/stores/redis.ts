import type { Redis } from 'ioredis';
import { checkCost, compilePolicies } from '../algorithms/policy.js';
import { algorithmByName } from '../algorithms/registry.js';
import type { AlgorithmName, Clock, Decision, Policy, PolicySpec } from '../algorithms/types.js';
import type { Limiter } from '../limiter.js';
import { limiterScript, type LimiterScript } from './lua/scripts.js';

export interface RedisStoreOptions {
  algorithm: AlgorithmName;
  policies: PolicySpec[];
  client: Redis;
  /** Close the client with the store (true when the store's creator made the client for it). */
  ownsClient?: boolean;
  countRefused?: boolean;
  /** Key prefix (default `gauntlet:rl:<algorithm>:`); keys are `<prefix>{<key>}:<policy>`. */
  prefix?: string;
  /** Added to Redis TIME inside the script (tests move time forward without waiting). */
  offsetMs?: number;
  /**
   * Use this clock instead of Redis TIME (exact tests and trace replays only): it gives up what TIME buys, that
   * the app nodes' clocks do not matter.
   */
  clock?: Clock;
}

/**
 * Per-key state in Redis, so any number of processes or machines enforce one global limit. Each decision is one
 * EVALSHA of one Lua script (loaded once; reloaded if Redis answers NOSCRIPT, e.g. after a restart) that reads
 * Redis TIME, checks every policy, records the request in all or none, and sets each key's TTL in the same
 * atomic step (SET ... PX, PEXPIRE): no INCR-then-EXPIRE race, no app-node clock skew. The script carries this
 * store's policies as constants, so a call sends only the keys, the time ('' for Redis TIME) and the cost, and
 * the reply is six packed doubles.
 */
export class RedisStore implements Limiter {
  readonly algorithm: AlgorithmName;
  readonly policies: readonly Policy[];
  readonly countRefused: boolean;
  private readonly client: Redis;
  private readonly ownsClient: boolean;
  private readonly script: LimiterScript;
  private readonly prefix: string;
  private readonly keySuffixes: string[];
  private readonly clock?: Clock;
  private loading?: Promise<unknown>;

  constructor(options: RedisStoreOptions) {
    const algorithm = algorithmByName(options.algorithm);
    this.algorithm = algorithm.name;
    this.policies = compilePolicies(algorithm, options.policies);
    this.countRefused = options.countRefused ?? false;
    this.client = options.client;
    this.ownsClient = options.ownsClient ?? false;
    this.script = limiterScript(this.algorithm, this.policies, { countRefused: this.countRefused, offsetMs: options.offsetMs ?? 0 });
    this.prefix = `${options.prefix ?? `gauntlet:rl:${this.algorithm}:`}{`;
    this.keySuffixes = this.policies.map((p) => `}:${p.name}`);
    this.clock = options.clock;
  }

  async consume(key: string, cost = 1): Promise<Decision> {
    if (cost !== 1) checkCost(cost);
    const n = this.policies.length;
    const call: (string | number)[] = [this.script.sha1, n];
    for (let i = 0; i < n; i++) call.push(this.prefix + key + this.keySuffixes[i]);
    call.push(this.clock ? String(this.clock()) : '', cost);
    const reply = await this.evalsha(call);
    const chosen = this.policies[reply.readDoubleLE(40)]!;
    return {
      allowed: reply.readDoubleLE(0) === 1,
      limit: chosen.limit,
      remaining: reply.readDoubleLE(8),
      resetMs: reply.readDoubleLE(16),
      retryAfterMs: reply.readDoubleLE(24),
      delayMs: reply.readDoubleLE(32),
      policy: chosen.name,
    };
  }

  /** Loads the script now (otherwise the first decision does it). */
  async load(): Promise<void> {
    await this.loadScript();
  }

  async close(): Promise<void> {
    if (!this.ownsClient) return;
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }

  private async evalsha(call: (string | number)[]): Promise<Buffer> {
    try {
      return (await this.client.callBuffer('EVALSHA', call)) as Buffer;
    } catch (error) {
      if (!String((error as Error)?.message).startsWith('NOSCRIPT')) throw error;
      await this.loadScript();
      return (await this.client.callBuffer('EVALSHA', call)) as Buffer;
    }
  }

  private loadScript(): Promise<unknown> {
    // Concurrent callers that all met NOSCRIPT share one SCRIPT LOAD.
    this.loading ??= this.client.script('LOAD', this.script.source).finally(() => (this.loading = undefined));
    return this.loading;
  }
}
