import type { Exchange } from '../model.js';
import type { Placeholders } from './placeholders.js';
import { commentText, shellWord } from './shell-word.js';

/** Headers curl writes itself from the command (a recorded value would be wrong once the body or URL changes). */
const CURL_OWN_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'host']);
/** The mark bodyPreview leaves on a request body kept in part: `… [12345 bytes]`. */
const CUT_BODY = /… \[(\d+) bytes\]$/;

/** Where a file the command needs is described: its variable is `GAUNTLET_CERT_<NAME>` and the like. */
export interface FilePlaceholder {
  variable: string;
  meaning: string;
}

export interface CurlSetup {
  /** The certificate and key files of a client identity the request presented, by its name. */
  identity(name: string): { cert: FilePlaceholder; key: FilePlaceholder };
  /** A CA to trust for https targets, when the profile names one. */
  ca?: FilePlaceholder;
}

/** What the exchange sent, as a curl command (lines joined with ` \` continuations), with any notes before it. */
export function curlCommand(exchange: Exchange, placeholders: Placeholders, setup: CurlSetup): { notes: string[]; command: string } {
  const { request } = exchange;
  const notes: string[] = [];
  const args: string[][] = [];
  const method = request.method.toUpperCase();
  const url = new URL(request.url);
  if (method === 'HEAD') args.push(['--head']);
  else if (method !== 'GET' || request.body !== undefined) args.push(['-X', shellWord([{ text: method }])]);
  // curl reads [] and {} in a URL as globs.
  const urlSegments = placeholders.segments(request.url);
  const urlText = urlSegments.map((s) => ('text' in s ? s.text : '')).join('');
  args.push([...(/[[\]{}]/.test(urlText) ? ['-g'] : []), shellWord(urlSegments)]);
  for (const [name, value] of Object.entries(request.headers)) {
    if (CURL_OWN_HEADERS.has(name.toLowerCase())) continue;
    args.push(['-H', shellWord([{ text: `${name}: ` }, ...placeholders.segments(value, name)])]);
  }
  if (request.body !== undefined) {
    const cut = CUT_BODY.exec(request.body);
    const body = cut ? request.body.slice(0, cut.index) : request.body;
    if (cut) notes.push(`the body sent was ${cut[1]} bytes; the report keeps its beginning only, which is what this sends`);
    args.push(['--data-binary', shellWord(placeholders.segments(body))]);
  }
  if (request.identity) {
    const { cert, key } = setup.identity(request.identity);
    args.push(['--cert', shellWord(placeholders.named(cert.variable, cert.meaning))], ['--key', shellWord(placeholders.named(key.variable, key.meaning))]);
  }
  if (url.protocol === 'https:' && setup.ca) args.push(['--cacert', shellWord(placeholders.named(setup.ca.variable, setup.ca.meaning))]);
  if (request.localAddress) args.push(['--interface', shellWord([{ text: request.localAddress }])]);
  if (exchange.redirects?.length) args.push(['-L']);
  const lines = ['curl -i', ...args.map((a) => `  ${a.join(' ')}`)];
  return { notes: notes.map(commentText), command: lines.join(' \\\n') };
}
