import { createHmac, timingSafeEqual } from 'node:crypto';
import { GauntletError } from '../util/errors.js';

/** The environment variable holding the key every process of a coordinated run signs its messages with. */
export const COORDINATION_KEY_ENV = 'GAUNTLET_COORDINATION_KEY';
const MIN_KEY_LENGTH = 16;

/**
 * Messages through a shared Redis, signed with a key every process of the run holds (HMAC-SHA256): without it,
 * anyone who can write to that Redis could hand workers a plan aiming their keys and load at another host, or hand
 * the coordinator made-up measurements. Without a key, messages travel unsigned and the Redis must be private.
 */
export class MessageSeal {
  private constructor(private readonly key: string | undefined) {}

  static fromEnv(env: NodeJS.ProcessEnv): MessageSeal {
    const key = env[COORDINATION_KEY_ENV];
    if (key !== undefined && key.length < MIN_KEY_LENGTH) throw new GauntletError('E_USAGE', `${COORDINATION_KEY_ENV} must be at least ${MIN_KEY_LENGTH} characters (it is ${key.length})`);
    return new MessageSeal(key || undefined);
  }

  get signing(): boolean {
    return this.key !== undefined;
  }

  seal(message: unknown): string {
    const body = JSON.stringify(message);
    return JSON.stringify(this.key ? { body, mac: this.mac(body) } : { body });
  }

  /** The message, or why it is refused: signed with another key, unsigned when this process holds a key, or signed when it holds none. */
  open<T>(text: string): { message: T } | { refused: string } {
    let envelope: { body?: unknown; mac?: unknown };
    try {
      envelope = JSON.parse(text) as { body?: unknown; mac?: unknown };
    } catch {
      return { refused: 'not JSON' };
    }
    if (typeof envelope.body !== 'string') return { refused: 'not a gauntlet message' };
    if (this.key) {
      if (typeof envelope.mac !== 'string') return { refused: `unsigned, and this process holds ${COORDINATION_KEY_ENV}` };
      const expected = Buffer.from(this.mac(envelope.body));
      const given = Buffer.from(envelope.mac);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { refused: `signed with another ${COORDINATION_KEY_ENV}` };
    } else if (envelope.mac !== undefined) {
      return { refused: `signed, and this process has no ${COORDINATION_KEY_ENV} to check it with` };
    }
    return { message: JSON.parse(envelope.body) as T };
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key!).update(body).digest('base64');
  }
}
