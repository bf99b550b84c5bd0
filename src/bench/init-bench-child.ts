import { PassThrough } from 'node:stream';
import { dereference, validate } from '@readme/openapi-parser';
import { main } from '../cli.js';

/**
 * One measured run, in a process of its own so its peak memory is its own: `gauntlet` runs `init --openapi` into
 * a folder; `parser` only validates and dereferences the document with @readme/openapi-parser, the floor any
 * OpenAPI tool built on it pays. Prints { ms, maxRssMiB, code } as JSON.
 */
const [which, document, out] = process.argv.slice(2) as [string, string, string];
const started = performance.now();
let code = 0;
if (which === 'gauntlet') {
  const sink = new PassThrough().resume();
  code = await main(['init', '--openapi', document, '--out', out, '--server', 'http://127.0.0.1:9'], { stdout: sink, stderr: sink });
} else {
  const result = await validate(document, { dereference: { circular: 'ignore' } });
  await dereference(document, { dereference: { circular: 'ignore' } });
  code = result.valid ? 0 : 2;
}
const ms = performance.now() - started;
process.stdout.write(`${JSON.stringify({ ms, maxRssMiB: process.resourceUsage().maxRSS / 1024, code })}\n`);
