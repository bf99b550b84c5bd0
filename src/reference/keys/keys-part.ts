import type { Middleware } from '../server/http-types.js';
import type { ApiKeyOptions } from '../server/options.js';
import type { PartSetup } from '../server/parts.js';
import { addKeyAdminRoutes } from './admin-routes.js';
import { apiKeyAuthentication } from './authenticate-part.js';
import { ApiKeyService } from './key-service.js';

/** API keys on the reference server: opens the key store, adds the admin API, returns the authentication part. */
export function apiKeyPart(options: ApiKeyOptions, setup: PartSetup): Middleware {
  const { flaws } = setup;
  const service = ApiKeyService.open(options, {
    ignoreRevocation: flaws.has('keys-revocation-ignored'),
    ignoreExpiry: flaws.has('keys-expiry-ignored'),
    prefixLookup: flaws.has('keys-timing-leak'),
  });
  setup.onClose(() => service.close());
  addKeyAdminRoutes(setup.router, service, options.now ?? Date.now);
  return apiKeyAuthentication(service, flaws);
}
