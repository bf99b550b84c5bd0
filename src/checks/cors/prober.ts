import type { RequestSpec } from '../../engine/http-client.js';
import type { Exchange } from '../../results/model.js';
import type { CheckContext } from '../types.js';
import { describeCors, type ProbeExchange } from './evaluate.js';

/** Sends CORS probes, keeping every exchange for the cases judged over all of them (wildcard, Vary). */
export class Prober {
  readonly all: Exchange[] = [];

  constructor(
    private readonly ctx: CheckContext,
    private readonly request: RequestSpec,
  ) {}

  /** The actual request, as the scenario describes it (credentials included), with an Origin or none. */
  async simple(origin: string | undefined, label: string): Promise<Exchange> {
    const headers = { ...this.request.headers, ...(origin === undefined ? {} : { Origin: origin }) };
    const { exchange } = await this.ctx.http.send({ ...this.request, headers, label });
    this.all.push(exchange);
    return exchange;
  }

  /** Browsers send preflights without credentials or app headers: no API key and none of the profile's headers. */
  async preflight(origin: string, method: string, requestHeaders: string[], label: string): Promise<Exchange> {
    const headers: Record<string, string> = { Origin: origin, 'Access-Control-Request-Method': method };
    if (requestHeaders.length) headers['Access-Control-Request-Headers'] = requestHeaders.join(',');
    const { method: _method, body: _body, headers: _headers, ...rest } = this.request;
    const { exchange } = await this.ctx.http.send({ ...rest, method: 'OPTIONS', key: 'none', withoutProfileHeaders: true, headers, label });
    this.all.push(exchange);
    return exchange;
  }

  async both(origin: string, ask: { method: string; headers: string[] }, label: string): Promise<ProbeExchange> {
    return {
      origin,
      simple: await this.simple(origin, `${label}: actual request`),
      preflight: await this.preflight(origin, ask.method, ask.headers, `${label}: preflight`),
    };
  }
}

export function requestOrigin(exchange: Exchange): string | undefined {
  return Object.entries(exchange.request.headers).find(([name]) => name.toLowerCase() === 'origin')?.[1];
}

export function exchangesOf(probes: ProbeExchange[]): Exchange[] {
  return probes.flatMap((p) => [p.simple, p.preflight]);
}

/** The statuses of both sends of each probe, for reports. */
export function probeData(probes: ProbeExchange[]) {
  return {
    probes: probes.map((p) => ({
      origin: p.origin,
      simpleStatus: p.simple.response?.status,
      preflightStatus: p.preflight.response?.status,
      simple: describeCors(p.simple),
      preflight: describeCors(p.preflight),
    })),
  };
}
