import type { SentRequest } from '../../engine/send.js';
import type { TargetProfile } from '../../scenario/types.js';
import { compileJsonPath, JsonPathError, select } from '../../util/json-path.js';
import { percentEncode } from '../../util/percent-encode.js';
import type { CheckContext } from '../types.js';
import type { EndpointSpec, KeyIn, KeyManagementSpec } from './spec.js';

export type EndpointName = 'create' | 'rotate' | 'revoke' | 'list';

const DEFAULT_METHOD: Record<EndpointName, string> = { create: 'POST', rotate: 'POST', revoke: 'POST', list: 'GET' };

export function keyManagementOf(profile: TargetProfile): KeyManagementSpec | undefined {
  return profile.extensions.keyManagement as KeyManagementSpec | undefined;
}

export interface IssuedKey {
  key: string;
  id: string;
}

export interface AdminAnswer {
  sent: SentRequest;
  status?: number;
  /** The new key and its id, for create and rotate, when the answer had both. */
  issued?: IssuedKey;
  /** What was wrong with the answer, in words. */
  problem?: string;
}

/**
 * Calls the target's key-management endpoints as the profile describes them, with the admin key. A key read
 * from an answer is registered as a secret at once, before the answer can reach any result.
 */
export class KeyAdmin {
  constructor(
    private readonly ctx: CheckContext,
    private readonly spec: KeyManagementSpec,
    private readonly adminKey: string,
    private readonly placement: { in: KeyIn; header?: string; param?: string },
  ) {}

  has(endpoint: EndpointName): boolean {
    return this.spec[endpoint] !== undefined;
  }

  async call(endpoint: EndpointName, id?: string): Promise<AdminAnswer> {
    const e = this.spec[endpoint] as EndpointSpec;
    const path = e.path.replace(/\{id\}/g, id === undefined ? '' : percentEncode(id));
    const sent = await this.ctx.http.send({
      method: e.method ?? DEFAULT_METHOD[endpoint],
      path,
      body: e.body === undefined ? undefined : { json: e.body },
      key: { name: this.adminKey, in: this.placement.in, header: this.placement.header, param: this.placement.param },
      label: `${endpoint}${id === undefined ? '' : ` ${id}`}`,
    });
    const status = sent.exchange.response?.status;
    if (status === undefined) return { sent, problem: `the ${endpoint} request got no answer` };
    if (status < 200 || status > 299) return { sent, status, problem: `${endpoint} answered HTTP ${status}` };
    if (endpoint !== 'create' && endpoint !== 'rotate') return { sent, status };
    const result = this.issued(e, sent);
    if (!result.issued && sent.exchange.response) {
      // The answer may hold a key we could not find, so could not register as a secret: keep it out of reports.
      sent.exchange.response.body = `[withheld: this answer may carry a key that was not found (${result.problem})]`;
    }
    if (!result.issued) {
      // Answered 2xx, so the target may well have made a key that gauntlet cannot revoke without its id.
      return { sent, status, problem: `${result.problem}; the target answered ${status}, so a key may have been made that gauntlet could not revoke: check its key list` };
    }
    return { sent, status, ...result };
  }

  private issued(e: EndpointSpec, sent: SentRequest): { issued?: IssuedKey; problem?: string } {
    let document: unknown;
    try {
      document = JSON.parse(sent.body.toString('utf8'));
    } catch {
      return { problem: 'the answer is not JSON' };
    }
    let key: unknown;
    let id: unknown;
    try {
      key = select(compileJsonPath(e.key ?? '$.key'), document).value;
      if (typeof key === 'string' && key) this.ctx.secrets.add(key);
      id = select(compileJsonPath(e.id ?? '$.id'), document).value;
    } catch (error) {
      if (error instanceof JsonPathError) return { problem: `bad path in the profile's keyManagement section: ${error.message}` };
      throw error;
    }
    if (typeof key !== 'string' || !key) return { problem: `no key at ${e.key ?? '$.key'} in the answer` };
    if (typeof id !== 'string' && typeof id !== 'number') return { problem: `no id at ${e.id ?? '$.id'} in the answer` };
    return { issued: { key, id: String(id) } };
  }
}
