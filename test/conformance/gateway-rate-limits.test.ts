import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { haproxyGlobal, startHaproxy } from '../helpers/haproxy.js';
import { startNginx } from '../helpers/nginx.js';
import { requireService } from '../helpers/services.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

const nginx = requireService('nginx', 'the rate-limit probes are proven against nginx limit_req', 'nginx-light');
const haproxy = requireService('haproxy', 'the rate-limit probes are proven against HAProxy stick tables');

/**
 * The rate-limit kind against the per-address limits of nginx (limit_req) and HAProxy (a stick table), as their
 * documentation configures them, and with mistakes their users make. Both key on the client address, so the
 * probes take fresh callers from 127.0.0.2, 127.0.0.3, ... Evidence quoted is from the same configs, with
 * `for i in $(seq 25); do curl -s -o /dev/null -w '%{http_code} ' --interface 127.0.0.9 $URL; done` style loops.
 */
const ALL_PROBES = ['discovery', 'retry-after', 'header-truth', 'boundary', 'refill', 'isolation', 'refused-counted', 'concurrency', 'fingerprint', 'forwarded-for'];

let dir: TempDir;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => dir.remove());

async function audit(url: string, name: string, policy: string, probes: string[]): Promise<Map<string, CheckResult>> {
  const profile = dir.file(`${name}.profile.yaml`, `target: ${url}\n`);
  const scenario = dir.file(
    `${name}.yaml`,
    `name: ${name}\nchecks:\n  - id: rl\n    kind: rate-limit\n    severity: high\n    request: { path: /api/data }\n    probes: [${probes.join(', ')}]\n    policy: ${policy}\n`,
  );
  const out = join(dir.path, name);
  await runCli(['run', scenario, '-p', profile, '-r', 'json', '-o', out], { timeoutMs: 180_000 });
  const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
  return new Map(run.scenarios.flatMap((s) => s.checks).map((c) => [c.case!, c]));
}

const statuses = (results: Map<string, CheckResult>) => Object.fromEntries([...results].map(([probe, c]) => [probe, c.status]));

function nginxConfig(dir: string, port: number, location: string, server = ''): string {
  return `daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log info;
events { worker_connections 1024; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  limit_req_zone $binary_remote_addr zone=api:1m rate=5r/s;
  server {
    listen 127.0.0.1:${port};
    root ${dir}/www;
${server}
    location /api/ {
${location}
    }
  }
}
`;
}

describe.skipIf(!nginx)('nginx limit_req (rate=5r/s burst=10 nodelay, per client address)', () => {
  async function withNginx(name: string, location: string, run: (url: string) => Promise<void>, server = ''): Promise<void> {
    const home = tempDir();
    home.file('www/api/data', '{"data":[1,2,3]}\n');
    const started = await startNginx(nginx!, home, (port) => nginxConfig(home.path, port, location, server));
    try {
      await run(`http://127.0.0.1:${started.port}`);
    } finally {
      await started.stop();
      home.remove();
    }
  }

  it('as documented: a bucket of 11 refilled at 5 a second, refused with 429 and no Retry-After', async () => {
    await withNginx('documented', '      limit_req zone=api burst=10 nodelay;\n      limit_req_status 429;\n      try_files $uri =404;', async (url) => {
      const results = await audit(url, 'nginx-documented', '{ rate: 5r/s, burst: 11, keyedOn: ip }', ALL_PROBES);
      expect(statuses(results)).toEqual({
        discovery: 'passed', // 25 at once from one address: 11 x 200, then 429
        'retry-after': 'failed', // `curl -si` once limited: "HTTP/1.1 429 Too Many Requests", no Retry-After
        'header-truth': 'skipped', // nginx sends no RateLimit or X-RateLimit headers
        boundary: 'passed', // a bucket has no window edge: one more request every 200 ms
        refill: 'passed', // spent (25 at once from 127.0.0.6), `sleep 1` then 8 at once: 5 x 200, 3 x 429
        isolation: 'passed', // --interface 127.0.0.8 is still answered 200 while 127.0.0.7 gets 429
        'refused-counted': 'passed', // retrying every 100 ms while refused: admitted again about 200 ms later
        concurrency: 'passed', // `seq 25 | xargs -P25 -I{} curl ... --interface 127.0.0.5 $URL`: 11 x 200, 14 x 429
        fingerprint: 'passed', // a bucket of 11 refilled at 5 a second, as refill and concurrency show
        'forwarded-for': 'passed', // limited, `curl -H 'X-Forwarded-For: 203.0.113.7'` still gets 429
      });
      expect(results.get('discovery')!.message).toBe('a burst of 27 admitted 11, the declared limit 11, and refused 16');
      expect(results.get('retry-after')).toMatchObject({ severity: 'low', message: 'Retry-After: expected present, in seconds or as a date, got (absent)' });
      expect((results.get('fingerprint')!.evidence.data as { best: string[] }).best).toEqual(expect.arrayContaining(['token-bucket', 'gcra']));
      // Each probe's caller had an address of its own.
      expect(results.get('isolation')!.message).toMatch(/with A \(127\.0\.0\.\d+\) refused, B \(127\.0\.0\.\d+\) still had its whole quota: 11 admitted/);
    });
  }, 120_000);

  it('without limit_req_status: the refusal is a 503, which the retry-after probe names, and discovery cannot count undeclared', async () => {
    await withNginx('default-status', '      limit_req zone=api burst=10 nodelay;\n      try_files $uri =404;', async (url) => {
      // `curl -si` once limited: "HTTP/1.1 503 Service Temporarily Unavailable".
      const declared = await audit(url, 'nginx-503', '{ rate: 5r/s, burst: 11, keyedOn: ip, refusedStatus: [503] }', ['discovery', 'retry-after']);
      expect(declared.get('discovery')).toMatchObject({ status: 'passed' });
      expect(declared.get('retry-after')!.message).toMatch(/^refusal status: expected 429 Too Many Requests, got 503 \(nginx limit_req answers 503 unless limit_req_status 429\)/);
    });
    // Undeclared, the 503s are neither admitted nor refused: discovery says so (a fresh nginx: fresh quotas).
    await withNginx('default-status-undeclared', '      limit_req zone=api burst=10 nodelay;\n      try_files $uri =404;', async (url) => {
      const undeclared = await audit(url, 'nginx-503-undeclared', '{ rate: 5r/s, burst: 11, keyedOn: ip }', ['discovery']);
      expect(undeclared.get('discovery')).toMatchObject({ status: 'errored', message: expect.stringMatching(/^cannot conclude: after 11 admitted the target answered 16 x 503, not a refusal status \(refusedStatus\): declare the status if that is the limiter's refusal \[E_PRECONDITION\]$/) });
    });
  });

  it('a mistake: `return 200` in the limited location answers before limit_req ever runs, so there is no limit', async () => {
    // `return` acts in nginx's rewrite phase, limit_req in the later preaccess phase: 120 requests, all 200.
    await withNginx('return', "      limit_req zone=api burst=10 nodelay;\n      limit_req_status 429;\n      default_type application/json;\n      return 200 '{\"ok\":true}';", async (url) => {
      const results = await audit(url, 'nginx-return', '{ rate: 5r/s, burst: 11, keyedOn: ip }', ['discovery']);
      expect(results.get('discovery')).toMatchObject({ status: 'failed', message: expect.stringMatching(/^refused beyond the limit: expected refusals once the limit is used up, got none of 100 requests refused in \d+ ms: no limit is enforced/) });
    });
  });

  it('a mistake: real_ip_header X-Forwarded-For trusted from anywhere lets a forged address reset the quota', async () => {
    // Limited, `curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-For: 203.0.113.7' $URL` prints 200;
    // X-Real-IP and Forwarded are not read (real_ip_header names one header).
    await withNginx(
      'realip',
      '      limit_req zone=api burst=10 nodelay;\n      limit_req_status 429;\n      try_files $uri =404;',
      async (url) => {
        const results = await audit(url, 'nginx-realip', '{ rate: 5r/s, burst: 11, keyedOn: ip }', ['forwarded-for']);
        const result = results.get('forwarded-for')!;
        expect(result.status, result.message).toBe('failed');
        expect(result.assertions!.map((a) => `${a.name}: ${a.passed}`)).toEqual(['a forged X-Forwarded-For: false', 'a forged X-Real-IP: true', 'a forged Forwarded: true']);
      },
      '    set_real_ip_from 0.0.0.0/0;\n    real_ip_header X-Forwarded-For;',
    );
  });
});

describe.skipIf(!haproxy)('HAProxy 2.6 stick table (http_req_rate(2s), deny above 10, per client address)', () => {
  async function withHaproxy(name: string, rules: string, run: (url: string) => Promise<void>): Promise<void> {
    const home = tempDir();
    const started = await startHaproxy(haproxy!, home, (port) => `${haproxyGlobal()}
frontend api
  bind 127.0.0.1:${port}
  stick-table type ip size 100k expire 30s store http_req_rate(2s)
${rules}
  http-request return status 200 content-type application/json string '{"data":[1,2,3]}'
`);
    try {
      await run(`http://127.0.0.1:${started.port}`);
    } finally {
      await started.stop();
      home.remove();
    }
  }

  it('as commonly configured: the rate counts denied requests too, so a client that keeps retrying stays locked out', async () => {
    await withHaproxy('common', '  http-request track-sc0 src\n  http-request deny deny_status 429 if { sc_http_req_rate(0) gt 10 }', async (url) => {
      const results = await audit(url, 'haproxy-common', '{ limit: 10, window: 2s, keyedOn: ip }', ALL_PROBES);
      expect(statuses(results)).toEqual({
        discovery: 'passed', // 25 at once: 10 x 200, 15 x 429
        'retry-after': 'failed', // the 429 page carries no Retry-After
        'header-truth': 'skipped',
        // Polling for the edge is refused and counted, so the quota never visibly comes back: nothing to judge.
        boundary: 'errored',
        refill: 'passed', // limited, after 4 s of quiet: 12 in a row give 10 x 200, 2 x 429
        isolation: 'passed', // with 127.0.0.5 limited, `curl --interface 127.0.0.6 $URL` prints 200
        // Limited, 60 retries 100 ms apart are all 429; after 4 s of quiet the next one is 200.
        'refused-counted': 'failed',
        concurrency: 'passed', // `seq 25 | xargs -P25 -I{} curl ... --interface 127.0.0.5 $URL`: 10 x 200, 15 x 429
        fingerprint: 'passed', // the denied requests counted (refused-counted), over a sliding 2 s period
        'forwarded-for': 'passed', // limited, `curl -H 'X-Forwarded-For: 203.0.113.7'` still gets 429
      });
      expect(results.get('boundary')!.message).toContain('[E_PRECONDITION]');
      expect(results.get('retry-after')).toMatchObject({ severity: 'low' });
      expect(results.get('refused-counted')!.message).toMatch(/^hammering client admitted again: expected about when the quiet one was/);
      const fingerprint = results.get('fingerprint')!;
      expect((fingerprint.evidence.data as { best: string[] }).best, fingerprint.message).toEqual(['sliding-counter']);
      expect(fingerprint.message).toMatch(/refused requests counted/);
    });
  }, 120_000);

  it('with `hdr Retry-After 2`: the retry then is still refused, because the last period still weighs', async () => {
    // Limited, `sleep 2.1; curl -s -o /dev/null -w '%{http_code}' $URL` prints 429.
    await withHaproxy('retry-after', '  http-request track-sc0 src\n  http-request deny deny_status 429 hdr Retry-After 2 if { sc_http_req_rate(0) gt 10 }', async (url) => {
      const results = await audit(url, 'haproxy-retry-after', '{ limit: 10, window: 2s, keyedOn: ip }', ['retry-after']);
      expect(results.get('retry-after')!.message).toMatch(/^a retry when Retry-After says: expected admitted, got 429/);
    });
  });

  it('a mistake: the default deny answers 403, which the probes cannot take for a rate-limit refusal', async () => {
    // `curl -si` once limited: "HTTP/1.1 403 Forbidden".
    await withHaproxy('deny-403', '  http-request track-sc0 src\n  http-request deny if { sc_http_req_rate(0) gt 10 }', async (url) => {
      const results = await audit(url, 'haproxy-403', '{ limit: 10, window: 2s, keyedOn: ip }', ['discovery']);
      expect(results.get('discovery')).toMatchObject({ status: 'errored', message: expect.stringMatching(/after 10 admitted the target answered 15 x 403, not a refusal status/) });
    });
  });

  it('a mistake: the source taken from X-Forwarded-For on a gateway clients reach directly', async () => {
    // Limited, `curl -H 'X-Forwarded-For: 203.0.113.7'` prints 200, while X-Real-IP and Forwarded change nothing.
    await withHaproxy(
      'set-src',
      '  http-request set-src req.hdr_ip(x-forwarded-for) if { req.hdr(x-forwarded-for) -m found }\n  http-request track-sc0 src\n  http-request deny deny_status 429 if { sc_http_req_rate(0) gt 10 }',
      async (url) => {
        const results = await audit(url, 'haproxy-set-src', '{ limit: 10, window: 2s, keyedOn: ip }', ['forwarded-for']);
        expect(results.get('forwarded-for')!.assertions!.map((a) => `${a.name}: ${a.passed}`)).toEqual(['a forged X-Forwarded-For: false', 'a forged X-Real-IP: true', 'a forged Forwarded: true']);
      },
    );
  });
});
