import type { TransportClass, TransportEvidence } from '../results/model.js';
import { RUN_INTERRUPTED } from './stop-reason.js';
import { receivedAlert } from './tls-alerts.js';

/** Our own deadline, distinct from undici's timeouts so the message can name the budget. */
export class RequestTimeoutError extends Error {
  readonly code = 'GAUNTLET_TIMEOUT';
  constructor(readonly timeoutMs: number) {
    super(`no complete response within ${timeoutMs}ms`);
    this.name = 'RequestTimeoutError';
  }
}

/** A request its check's signal stopped: `because` says why (see stopReason). */
export class RequestAbortedError extends Error {
  readonly code = 'GAUNTLET_ABORTED';
  constructor(because = RUN_INTERRUPTED) {
    super(`request aborted: ${because}`);
    this.name = 'RequestAbortedError';
  }
}

/** Certificate problems on the server's side: we refused the server, it did not refuse us. */
const SERVER_VERIFY_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);

/** The server's certificate chains to no CA we trust (a private CA, a self-signed certificate): trust is one setting away. */
const UNKNOWN_ISSUER_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
]);

export const UNKNOWN_ISSUER_HINT = "the target's certificate is not signed by a CA gauntlet trusts: set tls.ca in the profile or pass --cacert <file> with the CA that signed it";

const TIMEOUT_CODES = new Set([
  'GAUNTLET_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
]);

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED', 'UND_ERR_CLOSED']);

/**
 * What undici says, with UND_ERR_SOCKET, when it closes a connection over what the server sent: a 100 Continue
 * nobody asked for, a response to no request, an upgrade nobody asked for. The server broke HTTP; nothing was reset.
 */
const BAD_RESPONSE = /\bbad (response|upgrade)\b/;

const PROTOCOL_CODES = new Set([
  'HPE_INVALID_CONSTANT',
  'HPE_INVALID_STATUS',
  'HPE_INVALID_VERSION',
  'HPE_INVALID_CHUNK_SIZE',
  'HPE_INVALID_HEADER_TOKEN',
  'HPE_HEADER_OVERFLOW',
  'HPE_UNEXPECTED_CONTENT_LENGTH',
  'HPE_INVALID_CONTENT_LENGTH',
  'HPE_INVALID_TRANSFER_ENCODING',
  'UND_ERR_HEADERS_OVERFLOW',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_INFO',
  'UND_ERR_RESPONSE_EXCEEDED_MAX_SIZE',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
  'ERR_SSL_RECORD_LAYER_FAILURE',
  'HTTPParserError',
  'ERR_ASSERTION',
]);

export interface ClassifyContext {
  /** The connection was TLS. */
  tls: boolean;
  /** Response bytes (a status line) had arrived before the failure. */
  responseStarted: boolean;
}

/**
 * The error's code, else its cause's, else its class name when it has one of its own: undici's HTTPParserError
 * carries no code (it looks the parser's error number up in a table keyed by name), and its name still says what
 * failed where UNKNOWN says nothing.
 */
function errorCode(error: unknown): string {
  const e = error as { code?: unknown; name?: unknown; cause?: { code?: unknown } } | undefined;
  if (typeof e?.code === 'string') return e.code;
  if (typeof e?.cause?.code === 'string') return e.cause.code;
  if (error instanceof Error && typeof e?.name === 'string' && e.name !== 'Error') return e.name;
  return 'UNKNOWN';
}

function errorMessage(error: unknown): string {
  const e = error as { message?: unknown; cause?: { message?: unknown } } | undefined;
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const cause = typeof e?.cause?.message === 'string' && e.cause.message !== message ? `: ${e.cause.message}` : '';
  return message + cause;
}

/** What undici met when one of its assertions about the server's answer failed, where that is known. */
const UNDICI_ASSERTIONS: Record<string, string> = {
  'assert(upgrade)': 'a 101 Switching Protocols answer to a request that asked for no upgrade',
};

/**
 * undici asserts on some answers it does not expect (a bare 101 to an ordinary request) and fails the request with
 * the AssertionError, whose message is Node's multi-line "The expression evaluated to a falsy value: ...". Said in
 * one line: the assertion, and what the server sent that broke it.
 */
function assertionMessage(message: string): string {
  const expression = /assert\([^\n]*\)/.exec(message)?.[0];
  const met = (expression && UNDICI_ASSERTIONS[expression]) ?? 'an answer HTTP/1.1 does not allow';
  return `the HTTP client refused the answer on its own assertion${expression ? ` ${expression}` : ''}: ${met}`;
}

/**
 * Turns any failure below HTTP into one class, keeping the raw code and message as evidence, and the name of the
 * TLS alert the peer sent when there was one. A TLS connection closed before any response byte counts as a TLS
 * rejection: under TLS 1.3 a server that refuses the client certificate does so after the client considers the
 * handshake done, so undici reports only "other side closed" (UND_ERR_SOCKET) or ECONNRESET. When the alert itself
 * was read first, it hangs on that error as its cause (keepFirstSocketError) and is what this reports.
 */
export function classifyTransportError(error: unknown, context: ClassifyContext): TransportEvidence {
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  const source = !alertOf(error) && cause !== undefined && alertOf(cause) ? cause : error;
  const code = errorCode(source);
  const message = code === 'ERR_ASSERTION' ? assertionMessage(errorMessage(error)) : errorMessage(error);
  const alert = receivedAlert(code, errorMessage(source));
  const hinted = UNKNOWN_ISSUER_CODES.has(code) ? `${message} (${UNKNOWN_ISSUER_HINT})` : message;
  return { class: classOf(code, message, context), code, message: hinted, ...(alert ? { alert: alert.name } : {}) };
}

/** Whether this error itself (not its cause) reports a received alert. */
function alertOf(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | undefined;
  return typeof e?.code === 'string' && receivedAlert(e.code, typeof e.message === 'string' ? e.message : '') !== undefined;
}

function classOf(code: string, message: string, context: ClassifyContext): TransportClass {
  if (TIMEOUT_CODES.has(code)) return 'timeout';
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return 'dns';
  if (SERVER_VERIFY_CODES.has(code)) return 'tls-verify-failed';
  if (PROTOCOL_CODES.has(code) || code.startsWith('HPE_')) return 'protocol-error';
  if (code === 'UND_ERR_SOCKET' && BAD_RESPONSE.test(message)) return 'protocol-error';
  if (/^ERR_SSL_(SSLV3|TLSV1|TLSV13)_ALERT/.test(code) || /alert/i.test(message)) return 'tls-rejected';
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) return 'tls-rejected';
  if (RESET_CODES.has(code) || /socket hang up|other side closed/i.test(message)) {
    return context.tls && !context.responseStarted ? 'tls-rejected' : 'reset';
  }
  return 'protocol-error';
}
