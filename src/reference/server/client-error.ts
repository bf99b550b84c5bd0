import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { problemJson } from './respond.js';

const STATUS_BY_CODE: Record<string, number> = { HPE_HEADER_OVERFLOW: 431, ERR_HTTP_REQUEST_TIMEOUT: 408 };
const DETAIL: Record<number, string> = {
  400: 'the request could not be parsed as HTTP/1.1',
  408: 'the request did not arrive in time',
  431: 'the request headers are larger than the server accepts',
};

/**
 * Node answers a request it cannot parse (400), headers that are too large (431) and a request that arrives too
 * slowly (408) itself, before any handler runs, and so without the headers every other answer carries. This
 * answers them as the server answers every error: a problem document with those headers; then the connection closes.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex, headers: Record<string, string>): void {
  // A response already under way on this connection (a keep-alive request being answered) must not be interleaved.
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const status = STATUS_BY_CODE[error.code ?? ''] ?? 400;
  const title = STATUS_CODES[status] ?? 'Bad Request';
  const body = problemJson(status, title, DETAIL[status]);
  const lines = [
    `HTTP/1.1 ${status} ${title}`,
    'content-type: application/problem+json; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}
