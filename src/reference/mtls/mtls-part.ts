import type { IncomingHttpHeaders } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Middleware, RequestContext } from '../server/http-types.js';
import { sendProblem } from '../server/respond.js';
import { principalFor } from './allow-list.js';
import { judgeClientCertificate, verifyErrorsIgnoredBy } from './client-certificate.js';
import type { ClientCertificate, MtlsOptions } from './types.js';

/** Headers through which the verified identity reaches handlers, as a TLS-terminating nginx would pass it. */
export const IDENTITY_HEADERS = {
  verify: 'x-client-verify',
  commonName: 'x-client-cn',
  fingerprint: 'x-client-fingerprint',
  principal: 'x-client-principal',
} as const;

/** What later parts and handlers find in ctx.locals.clientCertificate. */
export interface VerifiedClient extends ClientCertificate {
  principal?: string;
}

/**
 * Client-certificate authentication and the identity allow-list. A client could send X-Client-* headers itself,
 * so they are always removed first and only set from the verified certificate.
 */
export function mtlsPart(options: MtlsOptions): Middleware {
  return async (ctx, next) => {
    stripIdentityHeaders(ctx.req.headers);
    const verdict = judgeClientCertificate(ctx.req.socket as TLSSocket, verifyErrorsIgnoredBy(ctx.flaws));
    const isProtected = ctx.route.kind === 'found' && !ctx.route.meta.public;

    if (verdict.kind === 'invalid') {
      if (options.mode === 'required') return refuseConnection(ctx);
      // As nginx with `ssl_verify_client optional`: a certificate was sent but does not verify.
      return sendProblem(ctx.res, 400, 'Invalid client certificate', `the client certificate was not accepted (${verdict.error})`);
    }
    if (verdict.kind === 'absent') {
      ctx.req.headers[IDENTITY_HEADERS.verify] = 'NONE';
      if (ctx.flaws.has('mtls-no-client-cert-check')) return next();
      if (options.mode === 'required') return refuseConnection(ctx);
      if (isProtected) return sendProblem(ctx.res, 403, 'Client certificate required', 'this route needs a verified client certificate');
      return next();
    }

    const certificate = verdict.certificate;
    const principal = principalFor(certificate, options.allow);
    if (principal === undefined && isProtected && !ctx.flaws.has('mtls-ignore-allowlist')) {
      return sendProblem(ctx.res, 403, 'Client certificate not allowed', `the identity ${describe(certificate)} is not on the allow-list`);
    }
    const client: VerifiedClient = { ...certificate, principal: principal ?? certificate.commonName };
    ctx.locals.clientCertificate = client;
    ctx.principal ??= { id: client.principal ?? certificate.fingerprint256, via: 'client-certificate' };
    ctx.req.headers[IDENTITY_HEADERS.verify] = 'SUCCESS';
    if (certificate.commonName !== undefined) ctx.req.headers[IDENTITY_HEADERS.commonName] = certificate.commonName;
    ctx.req.headers[IDENTITY_HEADERS.fingerprint] = certificate.fingerprint256;
    if (client.principal !== undefined) ctx.req.headers[IDENTITY_HEADERS.principal] = client.principal;
    return next();
  };
}

function stripIdentityHeaders(headers: IncomingHttpHeaders): void {
  for (const name of Object.values(IDENTITY_HEADERS)) delete headers[name];
}

/** Required mode behind a lenient handshake (flaws only): close before any response byte, as a TLS refusal. */
function refuseConnection(ctx: RequestContext): void {
  ctx.req.socket.destroy();
}

function describe(certificate: ClientCertificate): string {
  return certificate.commonName !== undefined ? `CN=${certificate.commonName}` : certificate.subject || certificate.fingerprint256;
}
