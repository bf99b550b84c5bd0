import type { RouteEntry } from '../router.js';
import type { JsonSchema, ResponseHeader, RouteResponse } from './types.js';

/** A header, query or path parameter of an operation. */
export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

const isSuccess = (status: number) => status >= 200 && status < 300;

/**
 * One operation while the document is assembled: the route states its own answers, then each part on the
 * server adds what it answers or requires in front of the route.
 */
export class OperationDraft {
  readonly responses = new Map<number, RouteResponse>();
  readonly parameters: Parameter[] = [];
  /** Security schemes that must all be satisfied (one requirement object); empty means anonymous. */
  readonly requirement = new Map<string, string[]>();
  readonly extensions: Record<string, unknown> = {};
  private readonly notes: string[] = [];

  constructor(readonly route: RouteEntry) {
    for (const [status, response] of Object.entries(route.meta.responses)) this.respond(Number(status), response);
  }

  /** Adds an answer; when the status is listed already, both descriptions and all headers are kept. */
  respond(status: number, response: RouteResponse): this {
    const known = this.responses.get(status);
    if (!known) {
      this.responses.set(status, { ...response, headers: { ...response.headers } });
      return this;
    }
    if (!known.description.includes(response.description)) known.description = `${known.description} ${response.description}`;
    known.headers = { ...known.headers, ...response.headers };
    known.schema ??= response.schema;
    return this;
  }

  /** Headers sent on every success answer (the rate-limit headers). */
  headersOnSuccess(headers: Record<string, ResponseHeader>): this {
    for (const [status, response] of this.responses) if (isSuccess(status)) response.headers = { ...response.headers, ...headers };
    return this;
  }

  /** The caller must also satisfy this scheme (with these scopes, for an apiKey scheme: role names). */
  require(scheme: string, scopes: string[] = []): this {
    this.requirement.set(scheme, scopes);
    return this;
  }

  parameter(parameter: Parameter): this {
    this.parameters.push(parameter);
    return this;
  }

  /** A sentence for the operation's description (what a part demands that no field of the document can say). */
  note(text: string): this {
    this.notes.push(text);
    return this;
  }

  get description(): string | undefined {
    const text = [this.route.meta.description, ...this.notes].filter(Boolean).join(' ');
    return text || undefined;
  }
}
