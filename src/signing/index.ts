export { signRequest, signature, type RequestToSign, type SignOptions, type SigningCredentials } from './client.js';
export {
  bodyHash,
  canonicalQuery,
  canonicalString,
  DEFAULT_SIGNATURE_HEADERS,
  SIGNING_ALGORITHM,
  type CanonicalParts,
  type SignatureHeaderNames,
} from './canonical.js';
