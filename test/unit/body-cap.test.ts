import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/engine/http-client.js';
import { EVIDENCE_BODY_CHARS } from '../../src/engine/send.js';
import { SecretRegistry } from '../../src/results/secrets.js';
import { profileFromTarget } from '../../src/scenario/load-profile.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';

const CAP = EVIDENCE_BODY_CHARS * 2;

/** Answers /bytes/N with N bytes, sent in one piece or, for /drip/N, in 1 KiB pieces. */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer((req, res) => {
    const [, how, size] = req.url!.split('/');
    const body = Buffer.alloc(Number(size), 'x');
    res.writeHead(200, { 'content-type': 'text/plain' });
    if (how === 'bytes') return res.end(body);
    for (let at = 0; at < body.length; at += 1024) res.write(body.subarray(at, at + 1024));
    res.end();
  });
});
afterAll(() => server.close());

const client = () => {
  const profile = profileFromTarget(server.url);
  const secrets = new SecretRegistry();
  return new HttpClient(profile, { timeoutMs: 5000, bodyCapBytes: CAP }, secrets);
};

describe('the body cap in response evidence', () => {
  it.each(['bytes', 'drip'])('a body of exactly the cap is read whole (%s): not capped', async (how) => {
    const { exchange, body } = await client().send({ method: 'GET', path: `/${how}/${CAP}` });
    expect(body.length).toBe(CAP);
    expect(exchange.response).toMatchObject({ bodyBytes: CAP, bodyTruncated: true });
    expect(exchange.response!.bodyCapped).toBeUndefined();
  });

  it.each(['bytes', 'drip'])('one byte over the cap is capped at the cap (%s)', async (how) => {
    const { exchange, body } = await client().send({ method: 'GET', path: `/${how}/${CAP + 1}` });
    expect(body.length).toBe(CAP);
    expect(exchange.response).toMatchObject({ bodyBytes: CAP, bodyTruncated: true, bodyCapped: true });
  });

  it('a body longer than the evidence shows but under the cap is shown in part, not capped', async () => {
    const { exchange, body } = await client().send({ method: 'GET', path: `/bytes/${EVIDENCE_BODY_CHARS + 10}` });
    expect(body.length).toBe(EVIDENCE_BODY_CHARS + 10);
    expect(exchange.response!.body).toHaveLength(EVIDENCE_BODY_CHARS);
    expect(exchange.response).toMatchObject({ bodyTruncated: true });
    expect(exchange.response!.bodyCapped).toBeUndefined();
  });

  it('a short body is neither', async () => {
    const { exchange } = await client().send({ method: 'GET', path: '/bytes/10' });
    expect(exchange.response).toMatchObject({ body: 'xxxxxxxxxx', bodyBytes: 10, bodyTruncated: false });
    expect(exchange.response!.bodyCapped).toBeUndefined();
  });
});
