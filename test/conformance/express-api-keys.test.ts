import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { testPki, type TestPki } from '../helpers/pki.js';
import { APP_KEYS, expressApi, listenHttps, type Listening } from './express-apps.js';

/**
 * The built-in api-keys and headers scenarios against Express 5 (optionally behind helmet 8 with its defaults) and
 * the API-key middleware most apps hand-write: `res.status(401).json(...)` and no WWW-Authenticate. Every expected
 * verdict cites the curl answer that makes it true, run against the same app (express-apps.ts), e.g.
 *   curl -si --cacert ca.crt https://127.0.0.1:PORT/api/users/1
 */
const SCENARIOS = [join(ROOT, 'scenarios/api-keys.yaml'), join(ROOT, 'scenarios/headers.yaml')];
const KEY_ENV = { APP_VALID: APP_KEYS.valid, APP_READER: APP_KEYS.reader, APP_REVOKED: APP_KEYS.revoked, APP_EXPIRED: APP_KEYS.expired };
const PROFILE_KEYS = `keys:
  valid: \${env:APP_VALID}
  under-scoped: \${env:APP_READER}
  revoked: \${env:APP_REVOKED}
  expired: \${env:APP_EXPIRED}
defaults: { key: valid }
vars: { readPath: /api/data, protectedPath: /api/users/1 }
`;

describe('api-key and headers verdicts against Express 5 with a hand-written key middleware', () => {
  let pki: TestPki;
  const servers: Listening[] = [];
  beforeAll(async () => {
    pki = await testPki();
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    pki.dir.remove();
  });

  async function audit(name: string, app: Parameters<typeof listenHttps>[0], only: string[]): Promise<Map<string, CheckResult>> {
    const server = await listenHttps(app, { key: pki.read('server.key'), cert: pki.read('server.crt') });
    servers.push(server);
    const profile = pki.dir.file(`${name}.yaml`, `target: ${server.url}\ntls: { ca: ca.crt }\n${PROFILE_KEYS}`);
    const out = join(pki.dir.path, name);
    const cli = await runCli(['run', ...SCENARIOS, ...only.flatMap((o) => ['--only', o]), '-p', profile, '-r', 'json', '-o', out], { env: KEY_ENV });
    expect(cli.code, cli.stdout + cli.stderr).toBe(1);
    const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
    return new Map(run.scenarios.flatMap((s) => s.checks).map((c) => [c.id, c]));
  }
  const status = (checks: Map<string, CheckResult>, id: string) => [id, checks.get(id)?.status];

  it('Express 5 alone: every refusal is right, and the 401s without a challenge are one low finding', async () => {
    const checks = await audit('express-401', expressApi(), ['keys.matrix']);
    // curl -si .../api/users/1                                           -> HTTP/1.1 401, no WWW-Authenticate, {"error":"API key required"}
    // curl -si -H 'X-API-Key: ak_live_0000000000000000aaaa' .../api/users/1 -> HTTP/1.1 401, no WWW-Authenticate, {"error":"Invalid API key"}
    // curl -si -H 'X-API-Key: <revoked>' / -H 'X-API-Key: <expired>'      -> HTTP/1.1 401 each
    // curl -si -H 'X-API-Key: <reader key>' .../api/users/1               -> HTTP/1.1 403 {"error":"insufficient scope","required":"users:read"}
    // curl -si -H 'X-API-Key: <valid key>' .../api/users/1                -> HTTP/1.1 200 {"id":1,"name":"Ada Lovelace"}
    // curl -si '.../api/users/1?api_key=<valid key>'                      -> HTTP/1.1 401 (the middleware reads the header only)
    // curl -H 'X-API-Key;' / 10 KB / 'ключ-🔑-clé' / quotes / SQL / JSON   -> 401 each, no WWW-Authenticate
    for (const id of ['missing', 'malformed', 'unknown', 'revoked', 'expired', 'under-scoped', 'valid', 'query', 'echo', 'no-stack-trace']) {
      expect(status(checks, `keys.matrix.${id}`)).toEqual([`keys.matrix.${id}`, 'passed']);
    }
    expect(checks.get('keys.matrix.missing')!.message).toBe('a request without any key was refused with 401 (without a WWW-Authenticate challenge: see the www-authenticate case)');
    // RFC 9110 §15.5.2: a 401 MUST carry WWW-Authenticate; none of the 11 401s above does. A real finding, at low.
    const challenge = checks.get('keys.matrix.www-authenticate')!;
    expect(challenge).toMatchObject({ status: 'failed', severity: 'low' });
    expect(challenge.message).toBe(
      '11 of 11 401 answers carry no WWW-Authenticate challenge, which RFC 9110 requires: no key, malformed: empty, malformed: 10 KB long, malformed: non-ASCII, malformed: quotes, malformed: SQL meta-characters (+5 more)',
    );
    // No keyManagement in the profile: the lifecycle cannot run and says so.
    for (const id of ['create', 'rotation', 'revocation']) expect(status(checks, `keys.matrix.${id}`)).toEqual([`keys.matrix.${id}`, 'skipped']);
  });

  it('Express 5 behind helmet(): the 401 carries every header rule; only Cache-Control and the challenge are findings', async () => {
    const checks = await audit('helmet-401', expressApi({ helmet: true }), ['keys.matrix', 'headers.api']);
    // curl -si .../api/data -> HTTP/1.1 401 with helmet's X-Content-Type-Options: nosniff, X-Frame-Options: SAMEORIGIN,
    //   Referrer-Policy: no-referrer, X-XSS-Protection: 0, Content-Type: application/json; charset=utf-8; no Cache-Control
    expect(checks.get('headers.api.unauthorized')).toMatchObject({ status: 'passed', message: 'HTTP 401 to GET /api/data without API key: 5 header rule(s) met' });
    // curl -si -H 'X-API-Key: <valid>' .../api/data -> HTTP/1.1 200 with the same headers and no Cache-Control at all.
    expect(checks.get('headers.api.success')!.assertions!.filter((a) => !a.passed).map((a) => a.name)).toEqual(['Cache-Control has no-store (authenticated response)']);
    // curl -si -H 'X-API-Key: <valid>' .../gauntlet-no-such-route -> 404, CSP default-src 'none', X-Frame-Options: SAMEORIGIN, nosniff
    expect(checks.get('headers.api.not-found')).toMatchObject({ status: 'passed' });
    // Nothing rate-limits this app, and its profile names no vars.limitedPath: headers.api judges no 429 (the built-in
    // headers.limited would, on a rate-limited route).
    expect(checks.has('headers.api.rate-limited')).toBe(false);
    // helmet removes X-Powered-By; the 401s still carry no challenge.
    expect(checks.get('headers.api.no-version-leak')).toMatchObject({ status: 'passed' });
    expect(checks.get('keys.matrix.www-authenticate')).toMatchObject({ status: 'failed', severity: 'low' });
    expect([...checks.values()].filter((c) => c.status === 'failed').map((c) => c.id).sort()).toEqual(['headers.api.success', 'keys.matrix.www-authenticate']);
  });

  it('Express 5 behind helmet() refusing with 403: the refusal headers are judged, and no challenge is owed', async () => {
    const checks = await audit('helmet-403', expressApi({ helmet: true, refuse: 403 }), ['keys.matrix', 'headers.api']);
    // curl -si .../api/data -> HTTP/1.1 403 with helmet's headers: judged as the refusal (a 401 was required before).
    expect(checks.get('headers.api.unauthorized')).toMatchObject({ status: 'passed', message: 'HTTP 403 to GET /api/data without API key: 5 header rule(s) met' });
    // curl -si .../api/users/1 and with unknown, revoked, expired keys -> 403 each: a key that is not valid must get 401.
    for (const id of ['missing', 'unknown', 'revoked', 'expired']) {
      expect(checks.get(`keys.matrix.${id}`), id).toMatchObject({ status: 'failed', message: expect.stringContaining('got 403; a key that is not valid must get 401') });
    }
    // No answer was a 401 (403 for every bad key, 200 for the valid one): RFC 9110 asks a challenge of 401s only.
    expect(checks.get('keys.matrix.www-authenticate')).toMatchObject({ status: 'skipped', message: 'no answer was a 401 (13 answers: 12 x 403, 1 x 200); RFC 9110 requires a challenge on 401 only' });
  });
});
