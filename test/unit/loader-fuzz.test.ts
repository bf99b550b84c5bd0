import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { CHECK_KINDS } from '../../src/checks/index.js';
import { SecretRegistry } from '../../src/results/secrets.js';
import { ScenarioError } from '../../src/scenario/diagnostics.js';
import { loadProfile, profileFromTarget } from '../../src/scenario/load-profile.js';
import { loadScenarios } from '../../src/scenario/load-scenarios.js';
import { ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

/**
 * Seeded mutation testing of the loaders: thousands of damaged scenarios and profiles, derived from the real
 * ones, must each either load or fail with located diagnostics (exit 2 in the CLI), never with another error.
 */
const dir = tempDir('gauntlet-fuzz-');
afterAll(() => dir.remove());

const yamlFiles = (folder: string) => readdirSync(folder).filter((f) => /\.ya?ml$/.test(f)).map((f) => readFileSync(join(folder, f), 'utf8'));
const SCENARIO_SEEDS = [...yamlFiles(join(ROOT, 'scenarios')), ...yamlFiles(join(ROOT, 'test/fixtures/scenarios'))];
const PROFILE_SEEDS = [
  'target: http://127.0.0.1:8080\nheaders: { user-agent: fuzz }\ntimeouts: { request: 2s }\n',
  'target: https://127.0.0.1:8443\ntls:\n  ca: ca.crt\n  identities:\n    valid: { cert: c.crt, key: c.key }\nkeys:\n  valid: ${env:FUZZ_KEY}\n  other: { file: key.txt }\ndefaults: { identity: valid, key: valid }\nvars: { a: 1 }\nallowLoad: false\n',
];
writeFileSync(join(dir.path, 'key.txt'), 'sk_fuzz_file_key_value\n');
writeFileSync(join(dir.path, 'ca.crt'), 'not a real certificate, but readable\n');

const YAML_NOISE = [':', '{', '}', '[', ']', '-', '#', '&a', '*a', '!!', '|', '>', "'", '"', '%', '@', '`', '\n', '\t', '  ', '${env:', '{{', '}}', '\u0000', '\uFEFF', 'é', '\u202E'];

/** A text-level mutation: delete, insert noise, duplicate or swap lines, truncate. */
const textMutation = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...YAML_NOISE), fc.string({ maxLength: 8 })) }),
  fc.record({ op: fc.constant('duplicate-line' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('swap-lines' as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
);

type TextMutation = typeof textMutation extends fc.Arbitrary<infer T> ? T : never;

function applyText(text: string, mutation: TextMutation): string {
  const at = text.length ? mutation.at % text.length : 0;
  const lines = text.split('\n');
  switch (mutation.op) {
    case 'delete':
      return text.slice(0, at) + text.slice(at + mutation.length);
    case 'insert':
      return text.slice(0, at) + mutation.text + text.slice(at);
    case 'duplicate-line': {
      const i = mutation.at % lines.length;
      lines.splice(i, 0, lines[i]!);
      return lines.join('\n');
    }
    case 'swap-lines': {
      const i = mutation.at % lines.length;
      const j = mutation.with % lines.length;
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return lines.join('\n');
    }
    default:
      return text.slice(0, at);
  }
}

/** A structure-level mutation: replace, delete or rename a value somewhere in the document. */
function applyStructural(text: string, pick: number, value: unknown, op: number): string {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return text;
  }
  const nodes: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach((v, i) => (nodes.push({ parent: node, key: i }), walk(v)));
    else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) nodes.push({ parent: node as Record<string, unknown>, key: k }), walk(v);
  };
  walk(doc);
  if (nodes.length === 0) return stringify(value);
  const { parent, key } = nodes[pick % nodes.length]!;
  if (op % 3 === 0) (parent as Record<string | number, unknown>)[key] = value;
  else if (op % 3 === 1) Array.isArray(parent) ? parent.splice(key as number, 1) : delete parent[key as string];
  else if (!Array.isArray(parent)) {
    const v = parent[key as string];
    delete parent[key as string];
    parent[`${String(key)}x`] = v;
  }
  return stringify(doc);
}

const mutatedDocument = (seeds: string[]) =>
  fc.tuple(
    fc.constantFrom(...seeds),
    fc.array(textMutation, { minLength: 0, maxLength: 3 }),
    fc.option(fc.tuple(fc.nat(), fc.jsonValue({ maxDepth: 2 }), fc.nat()), { nil: undefined }),
  ).map(([seed, mutations, structural]) => {
    const text = structural ? applyStructural(seed, ...structural) : seed;
    return mutations.reduce((t, m) => applyText(t, m), text);
  });

let counter = 0;
function expectLoadedOrLocated(load: () => unknown): void {
  try {
    load();
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    expect(error.diagnostics.length).toBeGreaterThan(0);
    for (const d of error.diagnostics) {
      expect(d.line).toBeGreaterThanOrEqual(1);
      expect(d.col).toBeGreaterThanOrEqual(1);
      expect(d.code).toMatch(/^E_[A-Z_]+$/);
      expect(d.message.length).toBeGreaterThan(0);
    }
  }
}

describe('loader robustness (seeded mutations)', () => {
  it('never throws anything but located diagnostics for 1500 mutated scenarios, with and without a profile', () => {
    // Half of them against a profile with identities and keys, so the checks of names against it run too.
    const profile = profileFromTarget('https://127.0.0.1:8443');
    for (const name of ['valid', 'expired', 'revoked']) profile.tls.identities.set(name, { name, certPath: 'c.crt', keyPath: 'k.key', cert: 'PEM', key: 'PEM' });
    for (const name of ['valid', 'admin', 'under-scoped']) profile.keys.set(name, `sk_fuzz_${name}_key_value`);
    fc.assert(
      fc.property(mutatedDocument(SCENARIO_SEEDS), fc.boolean(), (text, withProfile) => {
        const file = join(dir.path, `s${counter++ % 50}.yaml`);
        writeFileSync(file, text);
        expectLoadedOrLocated(() => loadScenarios([file], { kinds: CHECK_KINDS, env: { FUZZ: '1' }, profile: withProfile ? profile : undefined }));
      }),
      { numRuns: 1500, seed: 20261128 },
    );
  });

  it('never throws anything but located diagnostics for 700 mutated profiles', () => {
    fc.assert(
      fc.property(mutatedDocument(PROFILE_SEEDS), (text) => {
        const file = join(dir.path, `p${counter++ % 50}.yaml`);
        writeFileSync(file, text);
        expectLoadedOrLocated(() => loadProfile(file, { kinds: CHECK_KINDS, secrets: new SecretRegistry(), env: { FUZZ_KEY: 'sk_fuzz_env_key' } }));
      }),
      { numRuns: 700, seed: 20261129 },
    );
  });
});

describe('damaged documents through the CLI', () => {
  it('end with exit 2 and a located message (or load cleanly), never a crash', async () => {
    const { runCli } = await import('../helpers/cli.js');
    const samples = fc.sample(mutatedDocument(SCENARIO_SEEDS), { numRuns: 8, seed: 42 });
    for (const [i, text] of samples.entries()) {
      const file = join(dir.path, `cli-${i}.yaml`);
      writeFileSync(file, text);
      const cli = await runCli(['validate', file]);
      expect([0, 2], cli.stderr).toContain(cli.code);
      if (cli.code === 2) expect(cli.stderr).toMatch(/cli-\d\.yaml:\d+:\d+: error\[E_[A-Z_]+\]/);
      expect(cli.stderr).not.toMatch(/internal error/);
    }
  });
});
