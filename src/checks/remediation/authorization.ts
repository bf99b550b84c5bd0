import type { CheckRemediation } from '../../results/model.js';
import type { BflaCase } from '../bfla/spec.js';
import type { BolaCase } from '../bola/spec.js';
import type { IpRestrictionCase } from '../ip-restriction/spec.js';
import type { MassAssignmentCase } from '../mass-assignment/spec.js';
import { fix, type KindRemediation } from './types.js';

// Object ownership is known to the API only: no gateway setting fixes it.
const OWNER_ONLY = fix("Authorize every access to an object against the caller, in the handler or data layer: look the object up with its owner (WHERE id = ? AND owner_id = ?) and answer another owner's object with 404, for reads, updates and deletes alike.", {
  Express: 'load the object in a router.param handler and refuse when object.ownerId !== req.user.id, before any route runs',
});

export const BOLA_REMEDIATIONS: KindRemediation = {
  check: OWNER_ONLY,
  cases: { read: OWNER_ONLY, update: OWNER_ONLY, delete: OWNER_ONLY } satisfies Record<BolaCase, CheckRemediation>,
};

const FUNCTION_SCOPE = fix('Enforce the role or scope each function needs on the server, per route (deny by default): an ordinary caller gets 403 on admin functions.', {
  Express: "mount admin routes behind a role check: app.use('/admin', requireRole('admin'), adminRouter)",
  Kong: 'acl plugin on the admin routes (config.allow: the admin consumer group)',
  'AWS API Gateway': 'authorizationScopes on the admin methods, or a Lambda authorizer that denies them to ordinary callers',
});

export const BFLA_REMEDIATIONS: KindRemediation = {
  check: FUNCTION_SCOPE,
  cases: {
    direct: FUNCTION_SCOPE,
    'method-override': fix('Ignore method-override headers (X-HTTP-Method-Override, X-HTTP-Method, X-Method-Override), or authorize the method they ask for, not the one on the wire.', {
      nginx: 'proxy_set_header X-HTTP-Method-Override ""; (and the other override headers)',
      Express: 'remove the method-override middleware, or mount it before the authorization middleware',
      Kong: 'request-transformer config.remove.headers = X-HTTP-Method-Override, X-HTTP-Method, X-Method-Override',
    }),
  } satisfies Record<BflaCase, CheckRemediation>,
};

const WRITABLE_ONLY = fix("Bind request bodies to an explicit list of the properties a client may set (a DTO or schema with additionalProperties: false); refuse or drop the others (readOnly properties, roles, owners, prices).", {
  Express: 'validate the body against the schema (ajv with removeAdditional or additionalProperties: false) and copy only the writable fields',
  'AWS API Gateway': 'a request validator with a model that sets additionalProperties: false',
});

export const MASS_ASSIGNMENT_REMEDIATIONS: KindRemediation = {
  check: WRITABLE_ONLY,
  cases: {
    create: WRITABLE_ONLY,
    update: WRITABLE_ONLY,
    'undeclared-properties': fix('Serialize answers through the documented schema: return only the properties it declares (no password hashes, internal flags or other owners’ data).', {
      Express: 'map stored objects to a response type field by field, or serialize with fast-json-stringify and the response schema',
    }),
  } satisfies Record<MassAssignmentCase, CheckRemediation>,
};

const ALLOW_LIST = fix('Refuse requests from source addresses outside the allow-list (403), judged by the address of the connection or of your own proxy.', {
  nginx: 'allow 10.0.0.0/8; deny all; in the protected location',
  Express: 'check req.socket.remoteAddress (or req.ip with a precise trust proxy setting) against the list',
  Kong: 'ip-restriction plugin config.allow',
  'AWS API Gateway': 'a resource policy that denies unless aws:SourceIp is in the list',
});

export const IP_RESTRICTION_REMEDIATIONS: KindRemediation = {
  check: ALLOW_LIST,
  cases: {
    'allowed-source': fix('An allow-listed address must be served: check the allow-list and which address the server sees behind proxies.'),
    'outside-source': ALLOW_LIST,
    'spoofed-forwarded-for': fix('Believe X-Forwarded-For only from your own proxies: take the client address from the last untrusted hop, never from the first value a client can write.', {
      nginx: 'set_real_ip_from <your proxies>; real_ip_header X-Forwarded-For; real_ip_recursive on;',
      Express: "app.set('trust proxy', 'loopback') or the proxies' addresses, never true",
      Kong: 'trusted_ips = <your proxies> and real_ip_header = X-Forwarded-For in kong.conf',
      'AWS API Gateway': 'use aws:SourceIp in the resource policy, not a forwarded header',
    }),
  } satisfies Record<IpRestrictionCase, CheckRemediation>,
};

const DECLARED_METHODS = fix('Serve only the methods each path declares and answer the others with 405 and an Allow header.', {
  nginx: 'limit_except GET POST { deny all; } in the location',
  Express: "app.route('/items').get(list).post(create).all((req, res) => res.set('Allow', 'GET, POST').sendStatus(405))",
  Kong: 'route methods = ["GET", "POST"]',
  'AWS API Gateway': 'define only the declared methods on the resource (no ANY method)',
});

export const METHODS_REMEDIATIONS: KindRemediation = {
  check: DECLARED_METHODS,
  cases: {
    get: DECLARED_METHODS,
    post: DECLARED_METHODS,
    put: DECLARED_METHODS,
    patch: DECLARED_METHODS,
    delete: DECLARED_METHODS,
    trace: fix('Refuse TRACE (405): it echoes requests back, cookies and credentials included.', {
      nginx: 'if ($request_method = TRACE) { return 405; }',
      Express: 'no app.all() or app.trace() handler that echoes the request',
      Kong: 'route methods without TRACE',
    }),
  },
};
