import type { Exchange } from '../results/model.js';

/**
 * HTTP statuses by which a server refuses a client certificate at the HTTP layer: 400 (nginx: "No required SSL
 * certificate was sent", "The SSL certificate error"), 401, 403 (allow-lists), 495/496 (nginx's internal codes
 * for a certificate error / no certificate, when an error_page exposes them).
 */
export const DEFAULT_REJECT_STATUS = [400, 401, 403, 495, 496];

export type RejectionVerdict =
  | { kind: 'rejected'; how: string }
  | { kind: 'served'; how: string }
  | { kind: 'not-a-rejection'; how: string }
  | { kind: 'could-not-tell'; how: string };

/**
 * Whether a request was rejected: the handshake failed, the TLS connection closed before any response byte (how
 * TLS 1.3 reports a refused client certificate), or an HTTP rejection status without the protected content.
 */
export function judgeRejection(exchange: Exchange, body: string, rejectStatus: readonly number[], protectedMarker: string | undefined): RejectionVerdict {
  if (exchange.transport) {
    const { class: cls, code } = exchange.transport;
    if (cls === 'tls-rejected') return { kind: 'rejected', how: `rejected at the TLS layer (${code})` };
    return { kind: 'could-not-tell', how: `${cls}: ${exchange.transport.message} (${code})` };
  }
  const status = exchange.response!.status;
  const leaked = protectedMarker !== undefined && protectedMarker !== '' && body.includes(protectedMarker);
  if (rejectStatus.includes(status)) {
    return leaked
      ? { kind: 'served', how: `HTTP ${status}, but the body holds the protected content` }
      : { kind: 'rejected', how: `rejected with HTTP ${status}` };
  }
  if (status >= 200 && status < 300) return { kind: 'served', how: `served: HTTP ${status}${leaked ? ' with the protected content' : ''}` };
  return {
    kind: 'not-a-rejection',
    how: `HTTP ${status} is not a rejection (expected a refused handshake or one of ${rejectStatus.join(', ')})`,
  };
}
