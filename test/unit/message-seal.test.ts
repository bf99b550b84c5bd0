import { describe, expect, it } from 'vitest';
import { MessageSeal } from '../../src/distributed/message-seal.js';

const KEY = 'a-coordination-key-of-32-characters';

describe('MessageSeal', () => {
  it('a message signed with the key opens with it, and with no other', () => {
    const sealed = MessageSeal.fromEnv({ GAUNTLET_COORDINATION_KEY: KEY }).seal({ type: 'plan', target: 'http://127.0.0.1:8080' });
    expect(MessageSeal.fromEnv({ GAUNTLET_COORDINATION_KEY: KEY }).open(sealed)).toEqual({ message: { type: 'plan', target: 'http://127.0.0.1:8080' } });
    expect(MessageSeal.fromEnv({ GAUNTLET_COORDINATION_KEY: `${KEY}x` }).open(sealed)).toEqual({ refused: 'signed with another GAUNTLET_COORDINATION_KEY' });
  });

  it('a plan rewritten in Redis to aim elsewhere is refused: the signature covers every byte', () => {
    const sealed = MessageSeal.fromEnv({ GAUNTLET_COORDINATION_KEY: KEY }).seal({ type: 'plan', target: 'http://127.0.0.1:8080' });
    const forged = sealed.replace('127.0.0.1:8080', 'attacker.example');
    expect(forged).not.toBe(sealed);
    expect(MessageSeal.fromEnv({ GAUNTLET_COORDINATION_KEY: KEY }).open(forged)).toEqual({ refused: 'signed with another GAUNTLET_COORDINATION_KEY' });
  });

  it('a process holding a key refuses unsigned messages; one without refuses signed ones it cannot check', () => {
    const unsigned = MessageSeal.fromEnv({}).seal({ type: 'job' });
    expect(MessageSeal.fromEnv({}).open(unsigned)).toEqual({ message: { type: 'job' } });
    expect(MessageSeal.fromEnv({ GAUNTLET_COORDINATION_KEY: KEY }).open(unsigned)).toEqual({ refused: 'unsigned, and this process holds GAUNTLET_COORDINATION_KEY' });
    const signed = MessageSeal.fromEnv({ GAUNTLET_COORDINATION_KEY: KEY }).seal({ type: 'job' });
    expect(MessageSeal.fromEnv({}).open(signed)).toEqual({ refused: 'signed, and this process has no GAUNTLET_COORDINATION_KEY to check it with' });
  });

  it('refuses a key too short to be one, and never shows it', () => {
    expect(() => MessageSeal.fromEnv({ GAUNTLET_COORDINATION_KEY: 'short-secret' })).toThrow('GAUNTLET_COORDINATION_KEY must be at least 16 characters (it is 12)');
    expect(() => MessageSeal.fromEnv({ GAUNTLET_COORDINATION_KEY: 'short-secret' })).not.toThrow(/short-secret/);
  });
});
