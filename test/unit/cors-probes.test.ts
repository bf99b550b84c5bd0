import { describe, expect, it } from 'vitest';
import { allowedOriginAssertions, bypassAssertion, headerAllowed, methodAllowed } from '../../src/checks/cors/evaluate.js';
import { noOriginCase } from '../../src/checks/cors/overall-cases.js';
import { bypassProbes } from '../../src/checks/cors/probes.js';
import type { Exchange } from '../../src/results/model.js';

function answer(headers: Record<string, string>, status = 200): Exchange {
  return {
    request: { method: 'GET', url: 'https://api.example/x', headers: {} },
    response: { status, statusText: '', headers, body: '', bodyBytes: 0, bodyTruncated: false },
    timings: { startedAt: new Date(0).toISOString(), totalMs: 1 },
  };
}

describe('CORS bypass origins', () => {
  it('derives every known bypass from the allowed origin', () => {
    const probes = Object.fromEntries(bypassProbes('https://app.example.com', 'r4nd', ['https://x.github.io']).map((p) => [p.name, p.origins]));
    expect(probes).toEqual({
      'arbitrary-origin': ['https://gauntlet-r4nd.example'],
      'null-origin': ['null'],
      'prefix-origin': ['https://app.example.com.evil.example'],
      'suffix-origin': ['https://evilapp.example.com'],
      'substring-origin': ['https://app.example.co'],
      'unescaped-dot-origin': ['https://appxexample.com'],
      'subdomain-origin': ['https://gauntlet-r4nd.app.example.com'],
      'http-downgrade': ['http://app.example.com'],
      'special-characters': ['https://app.example.com_.evil.example', 'https://app.example.com`.evil.example', 'https://app.example.com}.evil.example'],
      'third-party-hosting': ['https://x.github.io'],
    });
  });

  it('keeps a port where an origin has one, and replaces the dot before the registrable name', () => {
    const probes = Object.fromEntries(bypassProbes('https://api.shop.example.co:8443', 'r', undefined).map((p) => [p.name, p.origins]));
    expect(probes['suffix-origin']).toEqual(['https://evilapi.shop.example.co:8443']);
    expect(probes['unescaped-dot-origin']).toEqual(['https://api.shopxexample.co:8443']);
    expect(probes['third-party-hosting']).toEqual(['https://gauntlet-r.github.io', 'https://gauntlet-r.herokuapp.com', 'https://gauntlet-r.vercel.app']);
  });

  it('says why a probe does not apply instead of inventing one', () => {
    const probes = Object.fromEntries(bypassProbes('http://localhost:3000', 'r').map((p) => [p.name, p]));
    expect(probes['http-downgrade']).toMatchObject({ origins: [], skip: expect.stringContaining('already plain http') });
    expect(probes['unescaped-dot-origin']).toMatchObject({ origins: [], skip: "the host 'localhost' has no dot" });
  });
});

describe('judging CORS answers', () => {
  it('fails a bypass origin granted on either the actual request or the preflight', () => {
    const refused = answer({});
    const granted = answer({ 'access-control-allow-origin': 'https://evil.example', 'access-control-allow-credentials': 'true' });
    expect(bypassAssertion({ origin: 'https://evil.example', simple: refused, preflight: refused }).passed).toBe(true);
    expect(bypassAssertion({ origin: 'https://evil.example', simple: refused, preflight: granted })).toMatchObject({
      passed: false,
      actual: 'simple 200, no Access-Control-Allow-Origin; preflight 200, Access-Control-Allow-Origin: https://evil.example with credentials',
    });
    // A wildcard is not a reflection: the wildcard case judges it.
    expect(bypassAssertion({ origin: 'https://evil.example', simple: answer({ 'access-control-allow-origin': '*' }), preflight: refused }).passed).toBe(true);
  });

  it('treats * in the allow lists as "any" only without credentials', () => {
    expect(methodAllowed(answer({ 'access-control-allow-methods': 'GET, PUT' }), 'put')).toBe(true);
    expect(methodAllowed(answer({ 'access-control-allow-methods': 'GET' }), 'PATCH')).toBe(false);
    expect(methodAllowed(answer({}), 'POST')).toBe(true); // a CORS-safelisted method needs no listing
    expect(methodAllowed(answer({ 'access-control-allow-methods': '*' }), 'PATCH')).toBe(true);
    expect(methodAllowed(answer({ 'access-control-allow-methods': '*', 'access-control-allow-credentials': 'true' }), 'PATCH')).toBe(false);
    expect(headerAllowed(answer({ 'access-control-allow-headers': 'Content-Type,X-API-Key' }), 'x-api-key')).toBe(true);
    expect(headerAllowed(answer({ 'access-control-allow-headers': '*' }), 'authorization')).toBe(false);
    expect(headerAllowed(answer({}), 'accept-language')).toBe(true);
  });

  it('confirms an allowed origin gets working, credentialed CORS', () => {
    const origin = 'https://app.example.com';
    const good = answer({ 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', 'access-control-allow-methods': 'PUT', 'access-control-allow-headers': 'content-type' }, 204);
    const ask = { method: 'PUT', headers: ['content-type'] };
    expect(allowedOriginAssertions({ origin, simple: good, preflight: good }, ask, true).filter((a) => !a.passed)).toEqual([]);
    const wildcard = answer({ 'access-control-allow-origin': '*', 'access-control-allow-credentials': 'true', 'access-control-allow-methods': 'PUT', 'access-control-allow-headers': 'content-type' }, 204);
    // Browsers refuse credentials with *: the listed origin does not really get access.
    expect(allowedOriginAssertions({ origin, simple: wildcard, preflight: wildcard }, ask, true).filter((a) => !a.passed).map((a) => a.name)).toEqual([
      'actual request allows the origin',
      'preflight allows the origin',
      'actual request allows credentials',
      'preflight allows credentials',
    ]);
    expect(allowedOriginAssertions({ origin, simple: wildcard, preflight: wildcard }, ask, undefined).every((a) => a.passed)).toBe(true);
    const forbidden = answer({}, 403);
    expect(allowedOriginAssertions({ origin, simple: good, preflight: forbidden }, ask, false).filter((a) => !a.passed).map((a) => a.name)).toContain('preflight answers 2xx');
  });
});

describe('the no-origin case', () => {
  const info = { suffix: 'no-origin', title: 'no origin' };
  const allowed = ['https://app.example.com', 'https://admin.example.com'];

  it('names the CORS headers it saw: credentials without Allow-Origin grant nothing, and are not "no CORS headers"', () => {
    const outcome = noOriginCase(info, answer({ 'access-control-allow-credentials': 'true', vary: 'Origin' }), allowed);
    expect(outcome.status).toBe('passed');
    expect(outcome.message).toBe('HTTP 200, no Access-Control-Allow-Origin; sent Access-Control-Allow-Credentials: true, which grants nothing without it');
    expect(noOriginCase(info, answer({ vary: 'Origin' }), allowed).message).toBe('HTTP 200, no CORS headers');
  });

  it('passes the static * and a listed origin sent to everyone, naming what came with them', () => {
    const wildcard = noOriginCase(info, answer({ 'access-control-allow-origin': '*', 'access-control-expose-headers': 'x-total' }), allowed);
    expect(wildcard).toMatchObject({ status: 'passed', message: 'HTTP 200, the static Access-Control-Allow-Origin: * (see the wildcard case); also sent Access-Control-Expose-Headers: x-total' });
    const fixed = noOriginCase(info, answer({ 'access-control-allow-origin': 'https://APP.example.com' }), allowed);
    expect(fixed).toMatchObject({ status: 'passed', message: 'HTTP 200, the static Access-Control-Allow-Origin: https://APP.example.com, a listed origin' });
  });

  it('fails an unlisted origin granted without any Origin, naming every CORS header of the answer', () => {
    const outcome = noOriginCase(info, answer({ 'access-control-allow-origin': 'null', 'access-control-allow-credentials': 'true' }), allowed);
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toBe(
      'no unlisted origin allowed: expected no Access-Control-Allow-Origin, the static *, or a listed origin, got Access-Control-Allow-Credentials: true, Access-Control-Allow-Origin: null',
    );
    // Without allowedOrigins in the scenario, no fixed origin is known to be meant.
    expect(noOriginCase(info, answer({ 'access-control-allow-origin': 'https://app.example.com' }), []).status).toBe('failed');
  });
});
