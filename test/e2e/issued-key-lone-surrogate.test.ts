import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_KINDS } from '../../src/checks/index.js';
import { SecretRegistry } from '../../src/results/secrets.js';
import { runScenarios } from '../../src/runner/run.js';
import { loadProfile } from '../../src/scenario/load-profile.js';
import { loadScenarios } from '../../src/scenario/load-scenarios.js';
import { everyKindEnv, everyKindProfile } from '../helpers/every-kind.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';
import { SMALL_EVERY_KIND } from '../helpers/small-every-kind.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

/** Half a surrogate pair: valid in a JSON string ("\udc00"), with no UTF-8 form. */
const ODD_KEY = 'gk_live_issued\ud800key0123456789';
const ODD_ID = 'k\udc00-1';

/**
 * Found by the response fuzzer: a key-management endpoint that issued a key (or an id) holding a lone surrogate
 * ended the api-key check with "internal error in the api-key check: URIError: URI malformed", from
 * encodeURIComponent, when the key was registered as a secret and when the id went into the rotate path.
 */
describe('the api-key check against a target issuing a key and an id with lone surrogates', () => {
  let dir: TempDir;
  let server: TestServer;
  let issued = { key: '', id: '' };
  beforeAll(async () => {
    dir = tempDir();
    dir.file('scenarios/api-key.yaml', `name: api-key\nchecks:\n  - ${SMALL_EVERY_KIND['api-key']}\n`);
    server = await startTestServer((req, res) => {
      if (req.url?.startsWith('/admin/keys') && req.method === 'POST') {
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(issued));
      } else {
        res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'ApiKey' }).end('{"error":"no"}');
      }
    });
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  async function runApiKeyCheck() {
    const secrets = new SecretRegistry();
    const env = { ...process.env, ...everyKindEnv() };
    const profile = loadProfile(dir.file('profile.yaml', everyKindProfile(server.url)), { kinds: CHECK_KINDS, secrets, env });
    const scenarios = loadScenarios([join(dir.path, 'scenarios')], { kinds: CHECK_KINDS, profile, env });
    const run = await runScenarios({ profile, scenarios, failOn: 'info', timeoutMs: 1000, concurrency: 1, vars: {}, secrets, reporters: [], allowLoad: true });
    const results = run.scenarios.flatMap((s) => s.checks);
    const summary = results.map((r) => `${r.id}: ${r.status}: ${r.message}`).join('\n');
    expect(results.length, summary).toBeGreaterThan(5);
    for (const result of results) expect(result.message, summary).not.toMatch(/internal error|URIError/);
    return { results, summary };
  }

  it('registers the key as a secret, and says it cannot be sent in a header', async () => {
    issued = { key: ODD_KEY, id: 'k-1' };
    const { results, summary } = await runApiKeyCheck();
    expect(results.find((r) => r.id === 'k.api-key.create'), summary).toMatchObject({ status: 'errored', message: expect.stringMatching(/invalid X-API-Key header/) });
    expect(JSON.stringify(results)).not.toContain('issued\\ud800key');
  });

  it('rotates with the id written as a URL writes it', async () => {
    issued = { key: 'gk_live_issuedKey0123456789abcdefABCDEF', id: ODD_ID };
    const { summary } = await runApiKeyCheck();
    expect(server.requests.map((r) => r.url), summary).toContain('/admin/keys/k%EF%BF%BD-1/rotate');
  });
});
