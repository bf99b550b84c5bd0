import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { demoCommand } from '../../src/commands/demo.js';
import { tempDir } from '../helpers/temp.js';

/**
 * Every secret the demo makes, collected where it is made, not from the redaction list: each API key the key
 * service mints (the bootstrap admin key, the provisioned keys, the lifecycle's created and rotated keys), the
 * signing secret, and the private keys of every client identity and of the server.
 */
const known = vi.hoisted(() => ({ keys: [] as string[], signing: [] as string[], pemLines: [] as string[], pkiDirs: [] as string[] }));

vi.mock('../../src/reference/keys/key-format.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/reference/keys/key-format.js')>();
  return {
    ...original,
    mintKey: (...args: Parameters<typeof original.mintKey>) => {
      const key = original.mintKey(...args);
      known.keys.push(key);
      return key;
    },
  };
});

vi.mock('../../src/demo/target.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/demo/target.js')>();
  return {
    ...original,
    startDemoTarget: async (...args: Parameters<typeof original.startDemoTarget>) => {
      const target = await original.startDemoTarget(...args);
      const signing = target.profile.extensions.signing as { secret?: string } | undefined;
      if (signing?.secret) known.signing.push(signing.secret);
      for (const identity of target.profile.tls.identities.values()) {
        known.pkiDirs.push(join(identity.keyPath, '..'));
        known.pemLines.push(...pemBodyLines(readFileSync(identity.keyPath, 'utf8')));
      }
      const serverKey = join(known.pkiDirs[0]!, 'server.key');
      known.pemLines.push(...pemBodyLines(readFileSync(serverKey, 'utf8')));
      return target;
    },
  };
});

/** The base64 lines of a PEM block: any one of them in an output would leak part of the key. */
function pemBodyLines(pem: string): string[] {
  return pem.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----'));
}

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return () => Buffer.concat(chunks).toString('utf8');
}

function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('secrets in a whole demo run', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it('appear in no report file and nowhere on stdout or stderr', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out = collect(stdout);
    const err = collect(stderr);
    const outputDir = join(dir.path, 'reports');
    const code = await demoCommand(
      { flaw: [], reporters: ['console', 'json', 'junit', 'sarif', 'html'], outputDir, failOn: 'info', only: [], tags: [], verbose: true },
      { stdout, stderr },
    );
    expect(code, err()).toBe(0);

    // The secrets are real and were used: many keys minted, a signing secret, every identity's private key.
    expect(known.keys.length).toBeGreaterThanOrEqual(20);
    expect(known.signing).toHaveLength(1);
    expect(known.pemLines.length).toBeGreaterThan(100);

    const files = filesUnder(outputDir);
    expect(files.map((f) => f.slice(outputDir.length + 1)).sort()).toEqual(
      expect.arrayContaining(['gauntlet-report.html', 'gauntlet-report.json', 'gauntlet.sarif', 'gauntlet-junit.xml']),
    );
    const outputs: [string, string][] = [['stdout', out()], ['stderr', err()], ...files.map((f): [string, string] => [f, readFileSync(f, 'utf8')])];
    expect(outputs[0]![1]).toContain('gauntlet-report.html');

    const secrets = [...known.keys, ...known.keys.map(encodeURIComponent), ...known.signing, ...known.pemLines];
    for (const [where, text] of outputs) {
      const found = secrets.filter((secret) => text.includes(secret));
      expect(found.map((s) => `${s.slice(0, 8)}…`), `secrets in ${where}`).toEqual([]);
    }
    // The demo's temporary PKI, private keys included, is gone after the run.
    for (const pkiDir of new Set(known.pkiDirs)) expect(() => statSync(pkiDir)).toThrow();
  }, 120_000);
});
