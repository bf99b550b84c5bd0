import type { TlsProbeResult } from '../../engine/tls-probe.js';
import type { TransportClass } from '../../results/model.js';
import type { CheckOutcome } from '../types.js';
import { probeEnding, probeTransport } from './evaluate-versions.js';
import type { ClientCertificateMode } from './spec.js';

/** What a connection without a client certificate showed; `optional-or-none` when TLS 1.3 hid the request. */
export type ObservedMode = ClientCertificateMode | 'optional-or-none';

export interface ModeObservation {
  mode?: ObservedMode;
  /** Why the mode is what it is, or why it could not be told. */
  detail: string;
  /** Set when nothing answered at all. */
  transport?: TransportClass;
}

/**
 * From one connection made without a client certificate (TLS 1.2 when the server offers it, so the
 * CertificateRequest travels in clear), and one request sent on it:
 * - required: the handshake failed after the server's hello (and, over TLS 1.2, its CertificateRequest), the
 *   connection closed before any response byte, or
 *   the server asked for a certificate and answered the request with a rejection status (nginx's `ssl_verify_client
 *   on` completes the handshake and answers 400);
 * - optional: the server asked for a certificate and served the request without one;
 * - none: it did not ask.
 */
export function observeClientCertificateMode(probe: TlsProbeResult, rejectStatus: readonly number[]): ModeObservation {
  const requestVisible = probe.flight.serverHelloVersion !== undefined && probe.flight.serverHelloVersion !== 'TLSv1.3';
  const requested = probe.flight.certificateRequested;
  const asked = requestVisible ? (requested ? 'the server asked for a certificate' : 'the server did not ask for a certificate') : 'TLS 1.3 hides whether the server asked';
  if (!probe.handshakeCompleted) {
    if (probe.flight.serverHelloVersion && !probe.timedOut) {
      const ending = probeEnding(probe);
      // Over TLS 1.2 the server asks in clear before the client sends its (empty) certificate: a handshake that
      // ended without the request was not refusing a missing certificate (it never asked, or stopped before asking).
      if (requestVisible && !requested) {
        return { detail: `the handshake without a certificate failed (${ending}) before the server asked for a certificate: something other than a missing certificate ended it` };
      }
      // Over TLS 1.3 the client's handshake is done once its certificate is sent, so a refusal ends a completed
      // handshake (below); one that failed before, unless the alert says so, failed for another reason.
      if (!requestVisible && ending !== 'alert certificate_required') {
        return { detail: `the TLS 1.3 handshake failed (${ending}) before the client sent its certificate: something other than a missing certificate ended it` };
      }
      return { mode: 'required', detail: `the handshake without a certificate failed (${ending}); ${asked}` };
    }
    return { detail: `no handshake: ${probe.error ? `${probe.error.code}: ${probe.error.message}` : 'the connection closed'}`, transport: probeTransport(probe) };
  }
  if (probe.closedBeforeResponse) {
    // Over TLS 1.3 the server's refusal (certificate_required) arrives here, after the client's handshake is done.
    const closed = `the connection closed before any response byte (${probe.error ? probeEnding(probe) : 'closed'})`;
    // Over TLS 1.2 the whole server flight was in clear: a server that never asked cannot be refusing a certificate.
    if (requestVisible && !requested) return { detail: `${asked}, yet ${closed}: something other than a missing certificate ended it` };
    return { mode: 'required', detail: `${closed}; ${asked}` };
  }
  if (!probe.response) return { detail: `no answer to the request sent without a certificate (${probe.error?.code ?? 'timeout'})` };
  const status = probe.response.status;
  const answered = `the request without a certificate was answered "${probe.response.statusLine}"`;
  if (status !== undefined && rejectStatus.includes(status)) {
    if (requestVisible && requested) return { mode: 'required', detail: `${asked}; ${answered}` };
    if (requestVisible) return { mode: 'none', detail: `${asked}; ${answered} (a refusal, but not about a certificate)` };
    return { detail: `${asked}; ${answered}: cannot tell a certificate refusal from another one` };
  }
  if (!requestVisible) return { mode: 'optional-or-none', detail: `${asked}; ${answered}` };
  return { mode: requested ? 'optional' : 'none', detail: `${asked}; ${answered}` };
}

type Outcome = Omit<CheckOutcome, 'idSuffix' | 'title' | 'evidence'>;

export function evaluateClientCertificate(expected: ClientCertificateMode, observed: ModeObservation): Outcome {
  const { mode, detail } = observed;
  if (mode === expected) return { status: 'passed', message: `client certificate ${mode}: ${detail}` };
  if (mode === undefined) {
    return { status: 'errored', message: `could not tell whether a client certificate is required: ${detail}`, ...(observed.transport ? { transport: observed.transport } : {}) };
  }
  if (mode === 'optional-or-none') {
    if (expected === 'required') return { status: 'failed', message: `a request without a client certificate was served: ${detail}` };
    return { status: 'errored', message: `cannot tell ${expected} from ${expected === 'none' ? 'optional' : 'none'}: ${detail}` };
  }
  return { status: 'failed', message: `client certificate ${mode}, expected ${expected}: ${detail}` };
}
