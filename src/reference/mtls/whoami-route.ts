import { sendJson } from '../server/respond.js';
import type { Router } from '../server/router.js';
import { IDENTITY_HEADERS, type VerifiedClient } from './mtls-part.js';

/**
 * GET /whoami: who the server thinks is calling. With mTLS, the verified client certificate (CN, SAN URIs,
 * SHA-256 fingerprint, serial) and the principal the allow-list mapped it to; lets a check prove that the server
 * saw the identity the client presented. `forwarded` shows the X-Client-* headers handlers received.
 */
export function addWhoamiRoute(router: Router): void {
  router.add('GET', '/whoami', (ctx) => {
    const client = ctx.locals.clientCertificate as VerifiedClient | undefined;
    sendJson(ctx.res, 200, {
      principal: ctx.principal?.id ?? null,
      via: ctx.principal?.via ?? null,
      clientCertificate: client
        ? {
            commonName: client.commonName ?? null,
            uris: client.uris,
            subject: client.subject,
            issuer: client.issuer,
            fingerprint256: client.fingerprint256,
            serialNumber: client.serialNumber,
            principal: client.principal ?? null,
          }
        : null,
      forwarded: Object.fromEntries(Object.values(IDENTITY_HEADERS).map((name) => [name, ctx.req.headers[name] ?? null])),
    });
  });
}
