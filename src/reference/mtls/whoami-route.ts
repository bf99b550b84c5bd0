import type { JsonSchema } from '../server/openapi/types.js';
import { sendJson } from '../server/respond.js';
import type { Router } from '../server/router.js';
import { IDENTITY_HEADERS, type VerifiedClient } from './mtls-part.js';

const nullableString: JsonSchema = { type: ['string', 'null'] };

const WHOAMI_SCHEMA: JsonSchema = {
  title: 'Whoami',
  type: 'object',
  required: ['principal', 'via', 'clientCertificate', 'forwarded'],
  properties: {
    principal: nullableString,
    via: { type: ['string', 'null'], enum: ['api-key', 'client-certificate', null] },
    clientCertificate: {
      oneOf: [
        { type: 'null' },
        {
          type: 'object',
          required: ['commonName', 'uris', 'subject', 'issuer', 'fingerprint256', 'serialNumber', 'principal'],
          properties: {
            commonName: nullableString,
            uris: { type: 'array', items: { type: 'string' } },
            subject: { type: 'string' },
            issuer: { type: 'string' },
            fingerprint256: { type: 'string' },
            serialNumber: { type: 'string' },
            principal: nullableString,
          },
        },
      ],
    },
    forwarded: {
      description: 'The X-Client-* headers the handler received (set only from a verified certificate).',
      type: 'object',
      required: Object.values(IDENTITY_HEADERS),
      properties: Object.fromEntries(Object.values(IDENTITY_HEADERS).map((name) => [name, nullableString])),
    },
  },
};

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
  }, {
    operationId: 'whoami',
    tag: 'health',
    summary: 'Who the server thinks is calling',
    responses: { 200: { description: 'The principal and, with mTLS, the verified client certificate.', schema: WHOAMI_SCHEMA } },
  });
}
