import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import type { Exchange, RequestEvidence, ResponseEvidence, TransportEvidence } from '../results/model.js';
import { classifyTransportError, RequestAbortedError, RequestTimeoutError } from './classify.js';
import { originKey, type TrackedDispatcher } from './dispatchers.js';
import { stopReason } from './stop-reason.js';
import { decodePrefix } from '../util/clip.js';

export const DEFAULT_BODY_CAP_BYTES = 1024 * 1024;
/** How much of a body is kept as evidence in reports; assertions see up to the full body cap. */
export const EVIDENCE_BODY_CHARS = 8 * 1024;

export interface PreparedRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string | Buffer;
  label?: string;
  identity?: string;
  localAddress?: string;
}

export interface SendOptions {
  timeoutMs: number;
  bodyCapBytes: number;
  signal?: AbortSignal;
  /**
   * Let later requests be pipelined behind this one before its answer's head arrives (undici holds them back by
   * default for every method but HEAD, so a pipelined burst would otherwise go out one request per round trip).
   */
  pipelined?: boolean;
}

export interface SentRequest {
  exchange: Exchange;
  /** The response body as read, up to the cap (empty when the request failed). */
  body: Buffer;
}

class BodyCapReached extends Error {}

/**
 * Sends one request with an overall deadline (connect, headers and body together, so a server dripping one
 * byte a second cannot hold us) and a cap on the bytes read. Never throws: failures become transport evidence.
 */
export function send(tracked: TrackedDispatcher, request: PreparedRequest, options: SendOptions): Promise<SentRequest> {
  const startedAt = new Date();
  const start = performance.now();
  const url = request.url;
  const evidence = requestEvidence(request);
  const isTls = url.protocol === 'https:';

  return new Promise<SentRequest>((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let capped = false;
    let head: { status: number; statusText: string; headers: IncomingHttpHeaders; at: number } | undefined;
    let controller: Dispatcher.DispatchController | undefined;
    let pendingAbort: Error | undefined;
    let settled = false;

    const abort = (reason: Error) => {
      if (controller) return controller.abort(reason);
      // Not started yet: still connecting (a TLS handshake that never completes, say). Undici only hands us a
      // controller once the connection is up, so settle now; the request is aborted if it ever starts.
      pendingAbort = reason;
      finish(reason);
    };
    const timer = setTimeout(() => abort(new RequestTimeoutError(options.timeoutMs)), options.timeoutMs);
    const onSignal = () => abort(new RequestAbortedError(stopReason(options.signal)));
    options.signal?.addEventListener('abort', onSignal, { once: true });

    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onSignal);
      const totalMs = performance.now() - start;
      const exchange: Exchange = {
        label: request.label,
        request: evidence,
        timings: { startedAt: startedAt.toISOString(), totalMs, headersMs: head ? head.at - start : undefined },
        tls: isTls ? tracked.tlsFor(originKey(url.protocol, url.hostname, url.port)) : undefined,
      };
      const body = Buffer.concat(chunks);
      if (head && (!error || error instanceof BodyCapReached)) {
        exchange.response = responseEvidence(head, body, capped);
      } else if (error) {
        exchange.transport = classifyTransportError(error, { tls: isTls, responseStarted: head !== undefined });
      }
      resolve({ exchange, body });
    };

    if (options.signal?.aborted) {
      finish(new RequestAbortedError(stopReason(options.signal)));
      return;
    }

    try {
      tracked.dispatcher.dispatch(
        {
          origin: url.origin,
          path: url.pathname + url.search,
          method: request.method as Dispatcher.HttpMethod,
          headers: request.headers,
          body: request.body,
          headersTimeout: options.timeoutMs,
          bodyTimeout: options.timeoutMs,
          blocking: options.pipelined ? false : undefined,
        },
        {
          onRequestStart(ctrl) {
            controller = ctrl;
            if (pendingAbort) ctrl.abort(pendingAbort);
          },
          onResponseStart(_ctrl, statusCode, headers, statusMessage) {
            head = { status: statusCode, statusText: statusMessage ?? '', headers, at: performance.now() };
          },
          onResponseData(ctrl, chunk) {
            const room = options.bodyCapBytes - received;
            if (chunk.length > room) {
              if (room > 0) chunks.push(chunk.subarray(0, room));
              received += Math.max(0, room);
              capped = true;
              ctrl.abort(new BodyCapReached());
              return;
            }
            chunks.push(chunk);
            received += chunk.length;
          },
          onResponseEnd() {
            finish();
          },
          onResponseError(_ctrl, error) {
            finish(error);
          },
        },
      );
    } catch (error) {
      finish(error as Error);
    }
  });
}

function requestEvidence(request: PreparedRequest): RequestEvidence {
  return {
    method: request.method,
    url: request.url.toString(),
    headers: { ...request.headers },
    body: request.body === undefined ? undefined : bodyPreview(request.body),
    identity: request.identity,
    localAddress: request.localAddress,
  };
}

/** A request that was never sent, with the reason as its transport evidence (so checks treat it as unanswered). */
export function unsent(request: PreparedRequest, transport: TransportEvidence): SentRequest {
  const exchange: Exchange = { label: request.label, request: requestEvidence(request), timings: { startedAt: new Date().toISOString(), totalMs: 0 }, transport };
  return { exchange, body: Buffer.alloc(0) };
}

function bodyPreview(body: string | Buffer): string {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const { text, cut } = decodePrefix(bytes, EVIDENCE_BODY_CHARS);
  return cut ? `${text}… [${bytes.length} bytes]` : text;
}

function responseEvidence(
  head: { status: number; statusText: string; headers: IncomingHttpHeaders },
  body: Buffer,
  capped: boolean,
): ResponseEvidence {
  const { text, cut } = decodePrefix(body, EVIDENCE_BODY_CHARS);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(head.headers)) if (value !== undefined) headers[name] = value;
  return {
    status: head.status,
    statusText: head.statusText,
    headers,
    body: text,
    bodyBytes: body.length,
    bodyTruncated: capped || cut,
    ...(capped ? { bodyCapped: true } : {}),
  };
}
