import type { Exchange } from '../../results/model.js';
import { responseHeader } from '../response-headers.js';
import type { ResponseClass } from './spec.js';

export const CLASS_TITLES: Record<ResponseClass, string> = {
  success: 'a successful response carries the security headers',
  unauthorized: 'the refusal of a request without credentials carries the security headers',
  'not-found': 'a 404 response carries the security headers',
  'rate-limited': 'a 429 response carries the security headers',
};

export const is2xx = (status: number) => status >= 200 && status < 300;

/**
 * Why an answer cannot stand for its class, or undefined when it can. The unauthorized case takes any refusal
 * (400 from a gateway that wants a client certificate, 401, 403, 404 from one that hides the route...); a 2xx is no
 * refusal, and neither is a redirect, a server error or a 429.
 */
export function mismatch(cls: ResponseClass, exchange: Exchange, how: string): string | undefined {
  const status = exchange.response!.status;
  const answered = `${how} answered ${status}`;
  switch (cls) {
    case 'success':
      return is2xx(status) ? undefined : `could not provoke a 2xx: ${answered}`;
    case 'not-found':
      return status === 404 ? undefined : `could not provoke a 404: ${answered}`;
    case 'rate-limited':
      return status === 429 ? undefined : `could not provoke a 429: ${answered}`;
    case 'unauthorized': {
      const refusal = 'could not provoke a refusal';
      if (is2xx(status)) {
        return `${refusal}: ${answered}, so the route serves requests without credentials and there is no refusal to judge; point responses.unauthorized.request at a protected route (whether this one should be protected is for the api-key and mtls kinds to judge)`;
      }
      if (status === 429) return `${refusal}: ${answered} (rate-limited), which says nothing about the missing credentials`;
      if (status >= 300 && status < 400) {
        const location = responseHeader(exchange, 'location');
        return `${refusal}: ${answered}${location ? ` (to ${location})` : ''}, a redirect, not a refusal`;
      }
      if (status >= 500) return `${refusal}: ${answered}, a server error, not a refusal`;
      return status >= 400 ? undefined : `${refusal}: ${answered}`;
    }
  }
}
