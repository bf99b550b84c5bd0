import type { Exchange } from '../results/model.js';
import { clip } from '../util/clip.js';

/**
 * HTTP statuses by which a server refuses a client certificate at the HTTP layer: 400 (nginx: "No required SSL
 * certificate was sent", "The SSL certificate error"), 401, 403 (allow-lists), 495/496 (nginx's internal codes
 * for a certificate error / no certificate, when an error_page exposes them).
 */
export const DEFAULT_REJECT_STATUS = [400, 401, 403, 495, 496];

/** What refused a request: the TLS layer (the alert the server sent, when one was read) or an HTTP status. */
export type Refusal =
  | { layer: 'tls'; alert?: string; code: string }
  | { layer: 'http'; status: number; reason?: string };

export type RejectionVerdict =
  | { kind: 'rejected'; how: string; refusal: Refusal }
  | { kind: 'served'; how: string }
  | { kind: 'not-a-rejection'; how: string }
  | { kind: 'could-not-tell'; how: string };

/**
 * Whether a request was rejected: the handshake failed, the TLS connection closed before any response byte (how
 * TLS 1.3 reports a refused client certificate), or an HTTP rejection status without the protected content.
 */
export function judgeRejection(exchange: Exchange, body: string, rejectStatus: readonly number[], protectedMarker: string | undefined): RejectionVerdict {
  if (exchange.transport) {
    const { class: cls, code, alert } = exchange.transport;
    if (cls === 'tls-rejected') return { kind: 'rejected', how: describeTlsRefusal(alert, code), refusal: { layer: 'tls', code, ...(alert ? { alert } : {}) } };
    return { kind: 'could-not-tell', how: `${cls}: ${exchange.transport.message} (${code})` };
  }
  const status = exchange.response!.status;
  const leaked = protectedMarker !== undefined && protectedMarker !== '' && body.includes(protectedMarker);
  if (rejectStatus.includes(status)) {
    if (leaked) return { kind: 'served', how: `HTTP ${status}, but the body holds the protected content` };
    const reason = refusalReason(body);
    return { kind: 'rejected', how: `rejected with HTTP ${status}${reason ? ` "${reason}"` : ''}`, refusal: { layer: 'http', status, ...(reason ? { reason } : {}) } };
  }
  if (status >= 200 && status < 300) return { kind: 'served', how: `served: HTTP ${status}${leaked ? ' with the protected content' : ''}` };
  return {
    kind: 'not-a-rejection',
    how: `HTTP ${status} is not a rejection (expected a refused handshake or one of ${rejectStatus.join(', ')})`,
  };
}

export function describeTlsRefusal(alert: string | undefined, code: string): string {
  return alert ? `rejected at the TLS layer with alert ${alert}` : `rejected at the TLS layer without an alert we could read (${code})`;
}

/**
 * The few words a refusal page gives as its reason: an HTML title or heading without its status number (nginx's
 * "400 No required SSL certificate was sent", HAProxy's "403 Forbidden"), or a JSON error's title or message.
 */
export function refusalReason(body: string): string | undefined {
  const head = body.slice(0, 4096);
  const heading = /<title>([^<]{1,200})<\/title>/i.exec(head)?.[1] ?? /<h1>([^<]{1,200})<\/h1>/i.exec(head)?.[1];
  let reason = heading?.replace(/^\s*\d{3}\s+/, '');
  if (reason === undefined && /^\s*\{/.test(head)) {
    try {
      const json = JSON.parse(body) as Record<string, unknown>;
      reason = [json.title, json.message, json.error, json.detail].find((v): v is string => typeof v === 'string');
    } catch {
      // not JSON after all: no reason to show
    }
  }
  const words = reason?.replace(/\s+/g, ' ').trim();
  return words ? clip(words, 80) : undefined;
}
