import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

const SECRET = 'hk_live_SECRETAAAAAAAAAAAAAAAA';
const NUMERIC_SECRET = '40213377331204';

/** The secret in every form a message or frame could print it: as written, base64, base64url, hex, and its distinctive middle. */
function forms(secret: string): string[] {
  const bytes = Buffer.from(secret);
  return [secret, secret.slice(4, -4), bytes.toString('base64').replace(/=+$/, ''), bytes.toString('base64url'), bytes.toString('hex')];
}

/**
 * A profile with an inline secret and another mistake on the same or the next line: the other mistake's code
 * frame once printed the secret, and the inline secret went unreported.
 */
const CASES: [string, string, string][] = [
  ['an unknown field on the next line', `target: http://127.0.0.1:9\nkeys: { c1: ${SECRET} }\ntagret: x\n`, 'E_UNKNOWN_FIELD'],
  ['a wrong value on the same line', `target: http://127.0.0.1:9\nkeys: { c1: ${SECRET}, c2: [1] }\n`, 'E_WRONG_TYPE'],
  ['a duplicate key', `target: http://127.0.0.1:9\nkeys:\n  c1: ${SECRET}\n  c1: \${env:OTHER}\n`, 'E_YAML_SYNTAX'],
  ['an unterminated quote', `target: http://127.0.0.1:9\nkeys: { c1: "${SECRET} }\n`, 'E_YAML_SYNTAX'],
  ['a signing secret next to an unknown field', `target: http://127.0.0.1:9\nsigning: { keyId: k, secret: ${SECRET}, bogus: 1 }\n`, 'E_UNKNOWN_FIELD'],
  ['a key passphrase next to an unknown field', `target: http://127.0.0.1:9\ntls:\n  identities:\n    a: { cert: c.crt, key: c.key, passphrase: ${SECRET}, x: 1 }\n`, 'E_UNKNOWN_FIELD'],
  ['a secret repeated in a comment and given through an alias', `# old key: ${SECRET}\ntarget: http://127.0.0.1:9\nvars: { k: &k ${SECRET} }\nkeys: { c1: *k }\ntagret: x\n`, 'E_UNKNOWN_FIELD'],
  ['a profile without target whose only section is signing, with a syntax error', `signing: { keyId: k, secret: ${SECRET} }\nbad: [\n`, 'E_YAML_SYNTAX'],
];

describe('secrets in the code frames of a profile', () => {
  let dir: TempDir;
  let scenario: string;
  beforeAll(() => {
    dir = tempDir();
    scenario = dir.file('scenario.yaml', 'name: s\nchecks:\n  - { id: s.a, kind: http, severity: low, request: { path: /a }, expect: { status: 200 } }\n');
  });
  afterAll(() => dir.remove());

  it.each(CASES)('%s: E_INLINE_SECRET and the other mistake are reported, the secret is never printed', async (name, profile, other) => {
    const file = dir.file(`${name.replace(/\W+/g, '-')}.yaml`, profile);
    const cli = await runCli(['validate', scenario, '-p', file]);
    expect(cli.code, cli.stderr).toBe(2);
    expect(cli.stderr).toContain('error[E_INLINE_SECRET]');
    expect(cli.stderr).toContain(`error[${other}]`);
    for (const form of forms(SECRET)) expect(cli.stdout + cli.stderr).not.toContain(form);
  });

  it('a frame without a syntax error shows where the secret is, masked, with the caret in place', async () => {
    const file = dir.file('masked.yaml', `target: http://127.0.0.1:9\nkeys: { c1: ${SECRET}, c2: [1] }\n`);
    const cli = await runCli(['validate', scenario, '-p', file]);
    const line = `keys: { c1: ${'*'.repeat(SECRET.length)}, c2: [1] }`;
    expect(cli.stderr).toContain(`> 2 | ${line}\n    | ${' '.repeat(line.indexOf('[1]'))}^`);
  });

  it('a number where a secret goes is masked in the frame and in the message that quotes it', async () => {
    const file = dir.file('numeric.yaml', `target: http://127.0.0.1:9\nsigning: { keyId: k, secret: ${NUMERIC_SECRET} }\n`);
    const cli = await runCli(['validate', scenario, '-p', file]);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('error[E_WRONG_TYPE]: signing.secret must be string or object, got number **************');
    for (const form of forms(NUMERIC_SECRET)) expect(cli.stderr).not.toContain(form);
  });
});
