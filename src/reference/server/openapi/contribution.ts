import type { OperationDraft } from './operation-draft.js';

/** An OpenAPI security scheme object (apiKey, mutualTLS...). */
export type SecurityScheme = Record<string, unknown>;

/**
 * What a part of the server says in the OpenAPI document: the security schemes it brings and, per operation,
 * the answers it gives or the credentials it demands. Each part that is on registers one, so the document
 * describes exactly the server that runs.
 */
export interface DocumentContribution {
  securitySchemes?: Record<string, SecurityScheme>;
  operation?(draft: OperationDraft): void;
}
