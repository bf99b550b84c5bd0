import { isIP } from 'node:net';
import type { SecretRegistry } from '../results/secrets.js';
import type { TargetProfile } from '../scenario/types.js';
import { GauntletError } from '../util/errors.js';
import { Coordinator } from './coordinator.js';
import { LocalCoordinatorTransport } from './local-transport.js';
import { RedisCoordinatorTransport } from './redis-transport.js';
import { MessageSeal } from './message-seal.js';

export interface DistributedOptions {
  workers: number;
  /** Redis for workers anywhere; without it, `workers` local processes are started. */
  coordinator?: string;
  runId: string;
  joinTimeoutMs: number;
  /** Local workers only: one source address each, or `loopback` for 127.0.0.2, 127.0.0.3, ... */
  sourceAddresses?: string[];
}

/** `loopback` as addresses, checked: one per local worker, each an IP address. */
export function localSourceAddresses(given: string[] | undefined, workers: number, profile: TargetProfile): string[] | undefined {
  if (!given?.length) return undefined;
  if (given.length === 1 && given[0] === 'loopback') {
    const host = new URL(profile.baseUrl).hostname;
    if (!(isIP(host) === 4 && host.startsWith('127.'))) throw new GauntletError('E_USAGE', `--source-address loopback needs a target on a 127.x.x.x address (the target is ${host})`);
    return Array.from({ length: workers }, (_, i) => `127.0.0.${i + 2}`);
  }
  if (given.length !== workers) throw new GauntletError('E_USAGE', `--source-address gives ${given.length} addresses for ${workers} local workers: give one per worker, or loopback`);
  const bad = given.find((a) => isIP(a) === 0);
  if (bad) throw new GauntletError('E_USAGE', `--source-address: '${bad}' is not an IP address`);
  return given;
}

/** Starts the workers' transport and waits for them; nothing is sent to the target before they are all ready. */
export async function startCoordinator(options: DistributedOptions, context: { profile: TargetProfile; secrets: SecretRegistry; signal: AbortSignal; say(line: string): void }): Promise<Coordinator> {
  if (options.coordinator && options.sourceAddresses?.length) {
    throw new GauntletError('E_USAGE', '--source-address on run applies to local workers; with --coordinator, give each worker its own (gauntlet worker --source-address)');
  }
  const transport = options.coordinator
    ? await RedisCoordinatorTransport.open(options.coordinator, options.runId, { withinMs: options.joinTimeoutMs, seal: MessageSeal.fromEnv(process.env), say: context.say })
    : new LocalCoordinatorTransport(options.workers, { sourceAddresses: localSourceAddresses(options.sourceAddresses, options.workers, context.profile), baseDir: context.profile.sources?.baseDir });
  return Coordinator.start(transport, { profile: context.profile, secrets: context.secrets, workers: options.workers, joinTimeoutMs: options.joinTimeoutMs, signal: context.signal, say: context.say });
}
