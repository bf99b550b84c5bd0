import type { SecureVersion } from 'node:tls';
import { classifyTransportError } from '../../engine/classify.js';
import { receivedAlert } from '../../engine/tls-alerts.js';
import type { TlsProbeResult } from '../../engine/tls-probe.js';
import type { TransportClass } from '../../results/model.js';
import type { CheckOutcome } from '../types.js';

export const PROBED_VERSIONS: SecureVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

export type VersionVerdict = 'offered' | 'refused' | 'untestable' | 'unreachable';

export interface VersionResult {
  verdict: VersionVerdict;
  detail: string;
  /** Why the server could not be asked at all (for the "target unreachable" exit code). */
  transport?: TransportClass;
}

/** The transport class of a probe's connection failure, as the request engine would classify it. */
export function probeTransport(probe: TlsProbeResult): TransportClass | undefined {
  if (!probe.error) return undefined;
  const error = Object.assign(new Error(probe.error.message), { code: probe.error.code });
  return classifyTransportError(error, { tls: true, responseStarted: false }).class;
}

/**
 * How the server ended a probe: the alert read off the wire (plaintext, during the handshake), else the alert
 * OpenSSL reported receiving (encrypted: TLS 1.3 after its ServerHello), else the error code or a plain close.
 */
export function probeEnding(probe: TlsProbeResult): string {
  if (probe.flight.alert) return `alert ${probe.flight.alert.name}`;
  const alert = probe.error ? receivedAlert(probe.error.code, probe.error.message) : undefined;
  if (alert) return `alert ${alert.name}`;
  return probe.error?.code ?? 'connection closed';
}

/** Transport failures that say nothing about which versions the server speaks. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'GAUNTLET_TIMEOUT', 'GAUNTLET_ABORTED']);

/**
 * One version probe (client min = max = version): offered when the ServerHello picks it; refused when the server
 * answered our ClientHello with anything else (an alert, another version, a close); untestable when our own TLS
 * library could not offer the version, which must never be mistaken for a refusal.
 */
export function versionVerdict(version: SecureVersion, probe: TlsProbeResult): VersionResult {
  const picked = probe.flight.serverHelloVersion;
  if (picked === version) return { verdict: 'offered', detail: `${version} offered` };
  if (picked) return { verdict: 'refused', detail: `${version} refused (the server picked ${picked})` };
  if (!probe.clientHelloSent) {
    const why = probe.error ? `${probe.error.code}: ${probe.error.message}` : 'no ClientHello was sent';
    return UNREACHABLE.has(probe.error?.code ?? '')
      ? { verdict: 'unreachable', detail: `${version}: ${why}`, transport: probeTransport(probe) }
      : { verdict: 'untestable', detail: `${version} cannot be offered by this client (${why})` };
  }
  if (probe.timedOut || UNREACHABLE.has(probe.error?.code ?? '')) {
    return { verdict: 'unreachable', detail: `${version}: ${probe.error?.code}: ${probe.error?.message}`, transport: probeTransport(probe) };
  }
  // Bytes that are not TLS records refuse nothing: whatever answered does not speak TLS on this port.
  if (probe.flight.notTls) return { verdict: 'unreachable', detail: `${version}: the server answered with bytes that are not TLS`, transport: 'protocol-error' };
  return { verdict: 'refused', detail: `${version} refused (${probeEnding(probe)})` };
}

type Outcome = Omit<CheckOutcome, 'idSuffix' | 'title' | 'evidence'>;

/** Errored, with the transport class when every version failed the same way below TLS (nothing answered). */
function errored(results: VersionResult[], message: string): Outcome {
  const transport = results.every((r) => r.transport) ? results[0]!.transport : undefined;
  return { status: 'errored', message, ...(transport ? { transport } : {}) };
}

export function evaluateLegacy(verdicts: Map<SecureVersion, VersionResult>): Outcome {
  const legacy = (['TLSv1', 'TLSv1.1'] as const).map((v) => verdicts.get(v)!);
  const offered = legacy.filter((v) => v.verdict === 'offered');
  if (offered.length) return { status: 'failed', message: offered.map((v) => v.detail).join('; ') };
  const unknown = legacy.filter((v) => v.verdict !== 'refused');
  if (unknown.length) return errored(unknown, unknown.map((v) => v.detail).join('; '));
  // The control: a server that completes no handshake at all refuses TLS 1.0 and 1.1 only by accident.
  if (![...verdicts.values()].some((v) => v.verdict === 'offered')) {
    return { status: 'errored', message: `${legacy.map((v) => v.detail).join('; ')}, but no version was offered at all (see modern-versions): the refusals prove nothing` };
  }
  return { status: 'passed', message: legacy.map((v) => v.detail).join('; ') };
}

export function evaluateModern(verdicts: Map<SecureVersion, VersionResult>): Outcome {
  const modern = (['TLSv1.2', 'TLSv1.3'] as const).map((v) => verdicts.get(v)!);
  const details = modern.map((v) => v.detail).join('; ');
  if (modern.some((v) => v.verdict === 'offered')) return { status: 'passed', message: details };
  if (modern.every((v) => v.verdict === 'refused')) return { status: 'failed', message: details };
  return errored(modern.filter((v) => v.verdict !== 'refused'), details);
}
