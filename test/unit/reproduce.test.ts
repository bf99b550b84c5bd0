import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { CheckResult, Exchange } from '../../src/results/model.js';
import { reproduceContext } from '../../src/results/reproduce/context.js';
import { reproductionOf, MAX_COMMANDS } from '../../src/results/reproduce/reproduction.js';
import { shellWord, type Segment } from '../../src/results/reproduce/shell-word.js';
import { secretEncodings } from '../../src/results/secret-encodings.js';
import { redactedLabel, SecretRegistry } from '../../src/results/secrets.js';

/** What bash makes of a word, with the environment given. */
function bashSays(word: string, env: Record<string, string> = {}): string {
  return execFileSync('bash', ['-c', `printf %s ${word}`], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });
}

describe('shell words', () => {
  const hostile = [`it's`, '$(touch /tmp/pwned)', '`id`', 'a"b\\c', 'line\nbreak', '; rm -rf / #', 'wow!', '{a,b}', '*'];

  it.each(hostile)('keep %j literal', (text) => {
    expect(bashSays(shellWord([{ text }]))).toBe(text);
  });

  it('expand the placeholders and nothing else, with or without a ! beside them', () => {
    for (const text of ['Bearer ', 'x"$HOME`', 'hey! ']) {
      const segments: Segment[] = [{ text }, { shell: '${GAUNTLET_KEY_MAIN}' }];
      expect(bashSays(shellWord(segments), { GAUNTLET_KEY_MAIN: 'k3y' })).toBe(`${text}k3y`);
    }
  });
});

const KEY = 'sk_live_4f9QxT7mWn2Lp8Rv';
const exchange = (request: Partial<Exchange['request']>, label?: string): Exchange => ({
  label,
  request: { method: 'GET', url: 'https://api.example.com/x', headers: {}, ...request },
  response: { status: 200, statusText: 'OK', headers: {}, body: '', bodyBytes: 0, bodyTruncated: false },
  timings: { startedAt: '', totalMs: 1 },
});
const failed = (exchanges: Exchange[]): CheckResult => ({
  id: 'k.query', kind: 'api-key', case: 'query', title: 't', scenario: 's', severity: 'high', status: 'failed', message: 'm', tags: [], evidence: { exchanges }, startedAt: '', durationMs: 1,
});

describe('the reproduction of a finding', () => {
  const secrets = new SecretRegistry();
  secrets.add(KEY);
  const context = reproduceContext({
    keys: new Map([['read-only', KEY]]),
    identities: new Map([['client', { certPath: 'certs/client.pem', keyPath: 'certs/client.key' }]]),
    caPath: 'certs/ca.pem',
  });
  // What the runner holds: the check as redaction left it.
  const check = secrets.redact(
    failed([
      exchange({ method: 'POST', url: `https://api.example.com/items?api_key=${encodeURIComponent(KEY)}&q=[1]`, headers: { 'X-API-Key': KEY, Authorization: `Bearer ${KEY}`, 'Content-Length': '12' }, body: `{"note":"it's ${KEY}"}`, identity: 'client' }, 'key in the query'),
      exchange({ headers: { Authorization: 'Basic dXNlcjpvdGhlcg==' } }),
      exchange({ headers: { Authorization: 'Basic dXNlcjpvdGhlcg==' } }),
    ]),
  );
  const reproduction = reproductionOf(check, context)!;

  it('names the profile key wherever the key was, and never shows it, in any encoding, or its fingerprint', () => {
    const { curl } = reproduction;
    expect(curl).toContain('"https://api.example.com/items?api_key=${GAUNTLET_KEY_READ_ONLY}&q=[1]"');
    expect(curl).toContain('-H "X-API-Key: ${GAUNTLET_KEY_READ_ONLY}"');
    expect(curl).toContain('-H "Authorization: Bearer ${GAUNTLET_KEY_READ_ONLY}"');
    expect(curl).toContain(`--data-binary "{\\"note\\":\\"it's \${GAUNTLET_KEY_READ_ONLY}\\"}"`);
    for (const form of secretEncodings(KEY)) expect(curl).not.toContain(form);
    expect(curl).not.toContain(redactedLabel(KEY).slice(10, 18));
    expect(curl).not.toContain('[redacted');
  });

  it('sends the method, body, client certificate and CA, turns URL globbing off, and leaves Content-Length to curl', () => {
    const first = reproduction.curl.split('\n\n')[0]!;
    expect(first).toMatch(/^# key in the query \(answered 200\)\ncurl -i \\\n {2}-X POST \\\n {2}-g "https/);
    expect(first).toContain('--cert "${GAUNTLET_CERT_CLIENT}" \\\n  --key "${GAUNTLET_CERT_KEY_CLIENT}"');
    expect(first).toContain('--cacert "${GAUNTLET_CA}"');
    expect(first).not.toMatch(/content-length/i);
  });

  it('gives a secret the profile does not name a placeholder after its header, and folds a repeated request', () => {
    expect(reproduction.curl).toContain('# request 2 (answered 200) (sent 2 times in a row)\ncurl -i \\\n  https://api.example.com/x \\\n  -H "Authorization: ${GAUNTLET_SECRET_AUTHORIZATION}" \\\n');
    expect(reproduction.variables).toEqual([
      { name: 'GAUNTLET_KEY_READ_ONLY', meaning: "the profile's API key 'read-only'" },
      { name: 'GAUNTLET_CERT_CLIENT', meaning: "the certificate file (PEM) of client identity 'client' (the profile has certs/client.pem)" },
      { name: 'GAUNTLET_CERT_KEY_CLIENT', meaning: "the private key file (PEM) of client identity 'client' (the profile has certs/client.key)" },
      { name: 'GAUNTLET_CA', meaning: 'the CA certificate file that signs the server certificate (the profile has certs/ca.pem)' },
      { name: 'GAUNTLET_SECRET_AUTHORIZATION', meaning: 'the Authorization value gauntlet sent (a secret, redacted in the report)' },
    ]);
  });

  it('keeps at most a few commands, and is given to failed checks with requests only', () => {
    const many = failed(Array.from({ length: 9 }, (_, i) => exchange({ url: `https://api.example.com/${i}` })));
    const steps = reproductionOf(many, context)!.curl.split('\n\n');
    expect(steps).toHaveLength(MAX_COMMANDS + 1);
    expect(steps.at(-1)).toBe("# and 4 more request(s): see the report's evidence");
    expect(reproductionOf({ ...many, status: 'passed' }, context)).toBeUndefined();
    expect(reproductionOf({ ...many, evidence: {} }, context)).toBeUndefined();
  });
});
