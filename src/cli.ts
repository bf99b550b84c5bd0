import yargs, { type Argv } from 'yargs';
import { certsCommand } from './commands/certs.js';
import { executeRun, type PlanMode } from './commands/execute-run.js';
import { processIO, type CommandIO } from './commands/io.js';
import { globListOption, listOption, parseDurationOption, parseRunId, parsePositiveInt, parseSeverity, parseTimeout, parseVars } from './commands/parse-options.js';
import { reportCommand } from './commands/report.js';
import { schemaCommand } from './commands/schema.js';
import { explainRefusal, knownOptions, refuseConflicts, refuseInapplicable, refuseUnknownCommand, usageError, type Conflict } from './commands/usage-errors.js';
import { validateCommand } from './commands/validate.js';
import { parseReporterNames, REPORTER_NAMES } from './report/create-reporters.js';
import { SEVERITIES } from './results/model.js';
import { parseShard } from './runner/shard.js';
import { isIP } from 'node:net';
import { formatSegment, parseSegment } from './engine/load-segment.js';
import type { DistributedOptions } from './distributed/start-coordinator.js';
import { ScenarioError } from './scenario/diagnostics.js';
import { EXIT, GauntletError } from './util/errors.js';
import { packageVersion } from './util/package-root.js';
import { ALGORITHM_NAMES, type AlgorithmName } from './reference/limiters/algorithms/types.js';

const reportOptions = (y: Argv) =>
  y
    .option('reporter', { alias: 'r', type: 'string', array: true, describe: `Reporters: ${REPORTER_NAMES.join(', ')} (repeatable or comma-separated)` })
    .option('output-dir', { alias: 'o', type: 'string', default: 'reports', describe: 'Folder for report files' })
    .option('fail-on', { type: 'string', choices: [...SEVERITIES], default: 'info', describe: 'Lowest severity whose failure fails the run' })
    .option('only', { type: 'string', array: true, describe: 'Run only the checks or cases whose id matches this glob: keys.*, *.boundary, keys.matrix.revoked (repeatable)' })
    .option('tag', { type: 'string', array: true, describe: 'Run only checks with this tag (repeatable)' })
    .option('verbose', { alias: 'v', type: 'boolean', describe: 'Print the message of every check, and the stack trace of an internal error (on stderr)' })
    .option('list', { type: 'boolean', describe: 'Print the ids of the checks and cases the run would run, one per line; send nothing' })
    .option('dry-run', { type: 'boolean', describe: 'Print the plan: each check and case with the most requests and time it can cost, and totals; send nothing' });

const PLAN_CONFLICTS: Conflict[] = [
  { options: ['list', 'dry-run'], why: '--list prints the ids only and --dry-run the detailed plan; pick one' },
  { options: ['list', 'shard'], why: '--list shows the whole run and --shard runs one part of it; drop one' },
  { options: ['dry-run', 'shard'], why: '--dry-run shows the whole run and --shard runs one part of it; drop one' },
];

const DISTRIBUTED_CONFLICTS: Conflict[] = [
  { options: ['segment', 'workers'], why: '--segment runs one part here, --workers all parts on workers; pick one' },
  { options: ['workers', 'list'], why: '--list sends nothing, so it needs no workers; drop --workers' },
  { options: ['workers', 'dry-run'], why: '--dry-run sends nothing, so it needs no workers; drop --workers' },
  { options: ['segment', 'list'], why: '--list shows the whole run and --segment runs one part of it; drop one' },
  { options: ['segment', 'dry-run'], why: '--dry-run shows the whole run and --segment runs one part of it; drop one' },
];

/** --workers and what goes with it, parsed while the line is checked; options only a coordinated run reads need --workers. */
function distributedOptions(a: { workers?: number; coordinator?: string; 'run-id': string; 'join-timeout': string; 'source-address'?: string[] }): DistributedOptions | undefined {
  if (a.workers === undefined) {
    const stray = (['coordinator', 'source-address'] as const).find((o) => a[o] !== undefined);
    if (stray) throw usageError(`--${stray} goes with --workers N (how many workers generate the load)`);
    return undefined;
  }
  return {
    workers: parsePositiveInt(a.workers, '--workers', 1),
    coordinator: a.coordinator,
    runId: parseRunId(a['run-id']),
    joinTimeoutMs: parseDurationOption(a['join-timeout'], '--join-timeout'),
    sourceAddresses: a['source-address'] === undefined ? undefined : listOption(a['source-address']),
  };
}

function planMode(a: { list?: boolean; 'dry-run'?: boolean }): PlanMode | undefined {
  return a.list ? 'list' : a['dry-run'] ? 'dry-run' : undefined;
}

/** bench options that only some benchmarks use (those with a default are left out: they cannot tell given from not). */
const BENCH_OPTIONS: Record<string, readonly string[]> = {
  html: ['limiters'],
  'redis-url': ['limiters'],
  runs: ['burst', 'load', 'init'],
  size: ['burst'],
  duration: ['load', 'soak'],
  connections: ['load', 'soak'],
  rate: ['soak'],
  workers: ['load'],
  openapi: ['init'],
};

/** The commands, as --help lists them. */
const COMMANDS = ['init', 'run', 'worker', 'validate', 'schema', 'report', 'bench', 'certs', 'serve', 'demo'];
/** What the commands with a required argument expect, for the refusal of a line without it. */
const SYNTAX: Record<string, string> = {
  report: 'report <run.json>, or report merge <run.json...>',
  bench: 'bench <limiters|burst|load|soak|init>',
};

/** What a command does once its whole line is valid: the handlers only check the line and prepare this. */
type Action = () => Promise<number> | number;

/**
 * Parses argv and runs a command; returns the exit code instead of exiting, so it can be tested in process. The
 * whole line is checked (unknown options, choices, conflicts, option values) before the command starts: a usage
 * error is exit 2 with nothing loaded, started or sent.
 */
export async function main(argv: string[], io: CommandIO = processIO): Promise<number> {
  let action: Action | undefined;
  const parser = yargs(argv)
    .scriptName('gauntlet')
    .usage('$0 <command> [options]\n\nSecurity test and load-audit harness for HTTP APIs.')
    .command(
      'run [paths..]',
      'Run scenario files or folders against a target',
      (y) =>
        reportOptions(y)
          .positional('paths', { type: 'string', array: true, default: ['scenarios'], describe: 'Scenario files or folders' })
          .option('target', { alias: 't', type: 'string', describe: 'Base URL of the target (overrides the profile target)' })
          .option('profile', { alias: 'p', type: 'string', describe: 'Target profile (YAML): TLS identities, keys, headers' })
          .option('timeout', { type: 'string', describe: 'Per-request timeout: 5s, 500ms, or milliseconds' })
          .option('concurrency', { alias: 'c', type: 'number', default: 4, describe: 'Scenarios run at once' })
          .option('var', { type: 'string', array: true, describe: 'Variable for {{name}}: name=value (repeatable)' })
          .option('allow-load', { type: 'boolean', default: false, describe: 'Allow bursts and load against hosts outside loopback' })
          .option('max-body', { type: 'number', describe: 'Bytes of a response body read at most (default 1 MiB)' })
          .option('shard', { type: 'string', describe: 'Run a deterministic part i/n of the checks (e.g. 2/4); merge with report merge' })
          .option('openapi', { type: 'string', describe: "The API's OpenAPI document (file or URL): report which operations the run audited" })
          .option('allow-empty', { type: 'boolean', default: false, describe: 'Pass a run in which every selected check was skipped (default: exit 2, nothing was checked)' })
          .option('baseline', { type: 'string', describe: 'Accepted findings (YAML): reported as suppressed, not failing the run; an expired or stale entry fails it' })
          .option('write-baseline', { type: 'string', describe: "Write this run's findings as a starting baseline (each reason to fill in)" })
          .option('cacert', { type: 'string', describe: "CA certificate (PEM) to verify the target's certificate with, as the profile's tls.ca" })
          .option('insecure', { type: 'boolean', default: false, describe: "Do not verify the target's certificate, as tls.insecure (every report says so, loudly)" })
          .option('segment', { type: 'string', describe: 'Run part i/N of every load check (and, in part 1, every other check); merge the N reports with report merge' })
          .option('workers', { alias: 'expect-workers', type: 'number', describe: "Generate load checks' load on N workers: N local processes, or with --coordinator N gauntlet worker processes anywhere" })
          .option('coordinator', { type: 'string', describe: 'Redis the workers join through (redis://host:6379); the run waits for --workers of them' })
          .option('run-id', { type: 'string', default: 'gauntlet', describe: 'With --coordinator: the name workers join (gauntlet worker --run-id)' })
          .option('join-timeout', { type: 'string', default: '2m', describe: 'How long to wait for the workers (and, over Redis, for Redis itself)' })
          .option('source-address', { type: 'string', array: true, describe: 'Local workers: one source IP each (comma-separated), or loopback for 127.0.0.2, 127.0.0.3, ... (a per-IP limit sees N clients)' })
          .example('$0 run --target http://127.0.0.1:8080', 'Run scenarios/ against a target')
          .example('$0 run scenarios/api-basics.yaml -p fixtures/targets/reference.yaml -r junit,html', 'One scenario against the profile of gauntlet serve --port 8080; JUnit and HTML reports')
          .example('$0 run --only "basics.*" --fail-on high --timeout 2s -t https://api.local', 'Some checks; fail only on high or critical')
          .example('$0 run -p profile.yaml --shard 2/4 -r json -o reports/shard-2', 'The second of four CI shards')
          .example('$0 run -p profile.yaml -r ndjson -o -', 'One JSON event per line on stdout, for a pipe')
          .example('$0 run -p profile.yaml --workers 4 --only "load.*"', 'Load checks generated by four local worker processes, merged exactly')
          .example('$0 run -p profile.yaml --workers 3 --coordinator redis://10.0.0.5:6379 --run-id nightly', 'Wait for three gauntlet worker processes on other machines, then run')
          .example('$0 run -p profile.yaml --only "*.boundary" --dry-run', 'The boundary probe of every rate-limit check: its cases, the most requests and time, nothing sent'),
      (a) => {
        refuseConflicts(a, [...PLAN_CONFLICTS, ...DISTRIBUTED_CONFLICTS]);
        // Every value is parsed here, while the line is checked: a bad one stops the command before it starts.
        const request = {
          paths: a.paths as string[],
          target: a.target,
          profilePath: a.profile,
          reporters: parseReporterNames(a.reporter ?? ['console']),
          outputDir: a['output-dir'],
          failOn: parseSeverity(a['fail-on'], '--fail-on'),
          only: globListOption(a.only),
          tags: listOption(a.tag),
          timeoutMs: parseTimeout(a.timeout),
          concurrency: parsePositiveInt(a.concurrency, '--concurrency', 4),
          vars: parseVars(a.var),
          allowLoad: a['allow-load'],
          maxBodyBytes: a['max-body'] === undefined ? undefined : parsePositiveInt(a['max-body'], '--max-body', 1),
          shard: a.shard === undefined ? undefined : parseShard(a.shard),
          openapi: a.openapi,
          allowEmpty: a['allow-empty'],
          baselinePath: a.baseline,
          writeBaselinePath: a['write-baseline'],
          cacert: a.cacert,
          insecure: a.insecure,
          verbose: a.verbose,
          plan: planMode(a),
          segment: a.segment === undefined ? undefined : parseSegment(a.segment),
          distributed: distributedOptions(a),
          io,
        };
        action = () => executeRun(request);
      },
    )
    .command(
      'init',
      'Write a target profile and scenarios for an API: from its OpenAPI document, or by probing it',
      (y) =>
        y
          .option('openapi', { type: 'string', describe: 'OpenAPI 3.0/3.1 or Swagger 2.0 document: a file or an http(s) URL' })
          .option('target', { alias: 't', type: 'string', describe: 'Probe this API (without credentials) and write a starter profile and the built-in scenarios that fit it' })
          .option('out', { type: 'string', default: 'gauntlet-audit', describe: 'Folder to write profile.yaml and scenarios/ into (new or empty)' })
          .option('server', { type: 'string', describe: "The target: a URL, or the index of one of the document's servers (default: the first)" })
          .option('dry-run', { type: 'boolean', default: false, describe: 'Print the plan (operations, checks, the most requests and time) without writing' })
          .option('force', { type: 'boolean', default: false, describe: 'Replace profile.yaml and scenarios/ in a folder that has them' })
          .example('$0 init --target http://127.0.0.1:3000', 'Probe an API and write a starter profile and scenarios; writes gauntlet-audit/')
          .example('$0 init --openapi openapi.yaml', 'Plan an audit of every operation; writes gauntlet-audit/')
          .example('$0 init --openapi https://api.example.com/openapi.json --server 1 --dry-run', "Print the plan against the document's second server"),
      (a) => {
        if (a.openapi && a.target) throw usageError('init takes --openapi or --target, not both: with a document, --server picks the target');
        if (a.target && (a.server !== undefined || a['dry-run'])) throw usageError('--server and --dry-run go with --openapi, not --target');
        if (a.target) {
          const args = { target: a.target, out: a.out, force: a.force };
          action = async () => {
            const { initTargetCommand } = await import('./commands/init-target.js');
            return initTargetCommand(args, io);
          };
          return;
        }
        if (!a.openapi) throw usageError('init needs --target <url> (probe the API) or --openapi <file|url> (plan from its document)');
        const args = { openapi: a.openapi, out: a.out, server: a.server, dryRun: a['dry-run'], force: a.force };
        action = async () => {
          const { initCommand } = await import('./commands/init.js');
          return initCommand(args, io);
        };
      },
    )
    .command(
      'worker',
      'Join a coordinated run (run --workers N --coordinator URL) and generate its share of every load check',
      (y) =>
        y
          .option('coordinator', { type: 'string', describe: 'The Redis the coordinating run uses: redis://host:6379' })
          .option('run-id', { type: 'string', default: 'gauntlet', describe: 'The name of the run to join (run --run-id)' })
          .option('segment', { type: 'string', describe: 'Take part i/N of every load (e.g. from a Kubernetes Job completion index + 1); default: the coordinator assigns one' })
          .option('source-address', { type: 'string', describe: 'Connect to the target from this local IP address' })
          .option('allow-load', { type: 'boolean', default: false, describe: 'Allow load against hosts outside loopback (each worker decides for itself)' })
          .option('base-dir', { type: 'string', describe: "Where the profile's relative ${file:} references and key paths are read (default: here)" })
          .option('join-timeout', { type: 'string', default: '5m', describe: 'How long to wait for Redis and the coordinator\'s plan' })
          .option('samples', { type: 'string', describe: 'Also write every response (check, status, latency in µs, ms from the start) to this CSV file' })
          .option('local', { type: 'boolean', default: false, hidden: true, describe: 'Started by run --workers on this machine: talk over the IPC channel' })
          .example('$0 worker --coordinator redis://10.0.0.5:6379 --run-id nightly', 'Join the run named nightly; secrets come from this environment')
          .example('$0 worker --coordinator redis://redis:6379 --segment 2/3 --source-address 10.0.1.12 --allow-load', 'Take part 2 of 3 from one address, against a remote target'),
      (a) => {
        const args = {
          coordinator: a.coordinator,
          runId: parseRunId(a['run-id']),
          local: a.local,
          segment: a.segment === undefined ? undefined : formatSegment(parseSegment(a.segment)),
          sourceAddress: a['source-address'],
          allowLoad: a['allow-load'],
          baseDir: a['base-dir'],
          joinTimeoutMs: parseDurationOption(a['join-timeout'], '--join-timeout'),
          samplesFile: a.samples,
        };
        if (!args.local && !args.coordinator) throw usageError('worker needs --coordinator redis://host:6379: the Redis the coordinating run (run --workers N --coordinator URL) uses');
        if (args.sourceAddress !== undefined && isIP(args.sourceAddress) === 0) throw usageError(`--source-address: '${args.sourceAddress}' is not an IP address`);
        action = async () => {
          const { workerCommand } = await import('./commands/worker.js');
          return workerCommand(args, io);
        };
      },
    )
    .command(
      'validate [paths..]',
      'Check scenario files without sending anything',
      (y) =>
        y
          .positional('paths', { type: 'string', array: true, default: ['scenarios'] })
          .option('profile', { alias: 'p', type: 'string', describe: 'Also check identity and key names against this profile' })
          .option('var', { type: 'string', array: true, describe: 'Variable for {{name}}: name=value' })
          .example('$0 validate scenarios/', 'Validate every scenario in a folder')
          .example('$0 validate my.yaml -p fixtures/targets/reference.yaml', 'Validate against a profile'),
      (a) => {
        const args = { paths: a.paths as string[], profile: a.profile, vars: parseVars(a.var) };
        action = () => validateCommand(args, io);
      },
    )
    .command(
      'schema',
      'Print the JSON Schema of scenarios (or of target profiles)',
      (y) =>
        y
          .option('profile', { type: 'boolean', describe: 'Print the target-profile schema' })
          .option('write', { type: 'boolean', describe: 'Write both schemas into schemas/' })
          .example('$0 schema > scenario.schema.json', 'Save the scenario schema for an editor')
          .example('$0 schema --profile', 'Print the target-profile schema'),
      (a) => {
        refuseConflicts(a, [{ options: ['profile', 'write'], why: '--write writes both schemas into schemas/, --profile prints one; drop one' }]);
        action = () => schemaCommand({ profile: a.profile, write: a.write }, io);
      },
    )
    .command(
      'report <inputs..>',
      'Render a saved run again, or merge the runs of shards: report merge <run.json...>',
      (y) =>
        y
          .positional('inputs', { type: 'string', array: true, describe: 'A run report (JSON), or merge followed by several' })
          .option('reporter', { alias: 'r', type: 'string', array: true, describe: `Reporters: ${REPORTER_NAMES.join(', ')}` })
          .option('output-dir', { alias: 'o', type: 'string', default: 'reports', describe: 'Folder for report files' })
          .example('$0 report reports/gauntlet-report.json -r html', 'Render a saved run as HTML again')
          .example('$0 report merge shard-*/gauntlet-report.json -r html,junit,sarif', 'Merge CI shards into one report; exits with the merged verdict'),
      (a) => {
        const args = { inputs: a.inputs as string[], reporters: parseReporterNames(a.reporter ?? ['html']), outputDir: a['output-dir'] };
        action = () => reportCommand(args, io);
      },
    )
    .command(
      'bench <which>',
      'Benchmarks: limiters (algorithms and stores against rate-limiter-flexible), burst (arrival spread, aim error), load (against plain autocannon), soak (memory over a long load), init (init --openapi on a large document)',
      (y) =>
        y
          .positional('which', { type: 'string', choices: ['limiters', 'burst', 'load', 'soak', 'init'], describe: 'Which benchmark' })
          .option('openapi', { type: 'string', describe: "init: the document to plan (default: GitHub's REST description, from a checkout's devDependencies)" })
          .option('quick', { type: 'boolean', default: false, describe: 'limiters: fewer and shorter runs (under a minute)' })
          .option('html', { type: 'string', describe: 'limiters: write a self-contained HTML page with charts to this file' })
          .option('redis-url', { type: 'string', describe: 'limiters: Redis to measure the Redis store on (default: a private redis-server if installed)' })
          .option('redis', { type: 'boolean', default: true, describe: 'limiters: measure the Redis store (--no-redis to skip)' })
          .option('runs', { type: 'number', describe: 'burst, load, init: repetitions (burst 20, load 5, init 5)' })
          .option('size', { type: 'number', describe: 'burst: requests per burst (default 100)' })
          .option('duration', { type: 'string', describe: 'load: duration of each run (default 5s); soak: total (default 10m)' })
          .option('connections', { type: 'number', describe: 'load, soak: connections (default 10)' })
          .option('rate', { type: 'number', describe: 'soak: requests per second (default 2000)' })
          .option('workers', { type: 'string', describe: 'load: also measure the merged throughput of this many local workers, e.g. 1,2 (run --workers N)' })
          .option('json', { type: 'string', describe: 'Also write the results as JSON to this file' })
          .example('$0 bench limiters --quick', 'The limiter benchmark, quickly: the console tables')
          .example('$0 bench limiters --json reports/bench.json --html reports/bench.html', 'A full limiter run with JSON and an HTML page')
          .example('$0 bench burst --runs 20 --size 100', 'How tightly 100-request bursts arrive, and how precisely they are aimed')
          .example('$0 bench load --duration 5s --runs 5 --json reports/bench-load.json', "gauntlet's load runner against plain autocannon")
          .example('$0 bench load --workers 1,2', 'Also the merged throughput of 1 and 2 local worker processes')
          .example('$0 bench soak --duration 10m', "Both processes' memory over a 10-minute load")
          .example('$0 bench init --runs 5 --json reports/bench-init.json', "init --openapi on GitHub's REST description, against the parser alone"),
      (a) => {
        refuseInapplicable(a, 'bench', a.which as string, BENCH_OPTIONS);
        if (a.which === 'limiters') {
          const args = { quick: a.quick, json: a.json, html: a.html, redisUrl: a['redis-url'], redis: a.redis, argv };
          action = async () => {
            const { benchLimitersCommand } = await import('./commands/bench-limiters.js');
            return benchLimitersCommand(args, io);
          };
          return;
        }
        const args = {
          which: a.which as string,
          runs: a.runs === undefined ? undefined : parsePositiveInt(a.runs, '--runs', 1),
          size: a.size === undefined ? undefined : parsePositiveInt(a.size, '--size', 1),
          duration: a.duration,
          connections: a.connections === undefined ? undefined : parsePositiveInt(a.connections, '--connections', 1),
          rate: a.rate === undefined ? undefined : parsePositiveInt(a.rate, '--rate', 1),
          workers: a.workers === undefined ? undefined : listOption(a.workers).map((n) => parsePositiveInt(Number(n), '--workers', 1)),
          json: a.json,
          openapi: a.openapi,
        };
        action = async () => {
          const { benchCommand } = await import('./commands/bench.js');
          return benchCommand(args, io);
        };
      },
    )
    .command(
      'serve',
      'Run the reference target server',
      (y) =>
        y
          .option('port', { type: 'number', default: 0, describe: 'Port (0 picks a free one)' })
          .option('host', { type: 'string', default: '127.0.0.1' })
          .option('flaw', { type: 'string', array: true, default: [], describe: 'Run with a named flaw (repeatable)' })
          .option('list-flaws', { type: 'boolean', describe: 'List the named flaws and the checks that catch them' })
          .option('pki', { type: 'string', describe: 'Serve HTTPS with client certificates, from a folder written by gauntlet certs' })
          .option('mtls-mode', { type: 'string', choices: ['required', 'optional'], default: 'required', describe: 'With --pki: refuse clients without a certificate at the handshake, or only on protected routes' })
          .option('keys-db', { type: 'string', describe: 'Require API keys, kept in this SQLite file (:memory: for a throwaway store)' })
          .option('keys-pepper-file', { type: 'string', describe: 'Pepper of the key hashes (default <db>.pepper, created if absent); GAUNTLET_KEYS_PEPPER overrides' })
          .option('admin-key-file', { type: 'string', describe: 'Bootstrap admin key: read from this file, or minted into it (mode 600) if absent; never printed. GAUNTLET_ADMIN_KEY overrides' })
          .option('rotation-grace', { type: 'string', describe: 'How long a rotated key keeps working (default 24h)' })
          .option('limiter', { type: 'string', describe: `Rate-limit /api routes with this algorithm: ${ALGORITHM_NAMES.join(', ')}` })
          .option('limit', { type: 'number', describe: 'Requests allowed per window (per API key, client identity or IP)' })
          .option('window', { type: 'string', describe: 'The window: 60s, 1m, 500ms (default 60s)' })
          .option('burst', { type: 'number', describe: 'Token bucket, leaky meter, GCRA: burst capacity (default: the limit)' })
          .option('queue', { type: 'number', describe: 'Leaky queue: requests that may wait their turn (default: limit - 1)' })
          .option('store', { type: 'string', describe: 'Where counts live: memory (per process) or redis (shared; default memory)' })
          .option('redis-url', { type: 'string', describe: 'Redis for --store redis: redis://host:port' })
          .option('fail-mode', { type: 'string', describe: 'When Redis cannot answer: open (let requests through) or closed (503); default open' })
          .option('limit-headers', { type: 'string', array: true, describe: 'Rate-limit headers sent: draft (RateLimit, RateLimit-Policy), legacy (X-RateLimit-*); default both' })
          .option('workers', { type: 'number', default: 1, describe: 'Worker processes sharing the port (node:cluster)' })
          .option('protections', { type: 'boolean', default: false, describe: "Security headers, CORS for the demo's origins and request-body validation, as the demo serves them" })
          .example('$0 serve --port 8080', 'Serve the correct reference API')
          .example('$0 serve --pki fixtures/pki --port 8443', 'Serve it over HTTPS with mutual TLS (run gauntlet certs first)')
          .example('$0 serve --flaw errors-leak-stack', 'Serve it with a flaw')
          .example('$0 serve --list-flaws', 'List flaws')
          .example('$0 serve --keys-db keys.db --admin-key-file admin.key', 'Require API keys; the first admin key is minted into admin.key')
          .example('$0 serve --limiter sliding-log --limit 100 --window 60s', 'Rate-limit to 100 requests a minute per client')
          .example('$0 serve --limiter gcra --limit 50 --window 10s --store redis --redis-url redis://127.0.0.1:6379 --workers 4', 'Four workers enforcing one global limit through Redis'),
      (a) => {
        const keys = { keysDb: a['keys-db'], keysPepperFile: a['keys-pepper-file'], adminKeyFile: a['admin-key-file'], rotationGrace: a['rotation-grace'] };
        const args = {
          port: a.port,
          host: a.host,
          flaws: listOption(a.flaw),
          pki: a.pki,
          mtlsMode: a['mtls-mode'] as 'required' | 'optional',
          keys,
          limiter: a.limiter,
          limit: a.limit,
          window: a.window,
          burst: a.burst,
          queue: a.queue,
          store: a.store,
          redisUrl: a['redis-url'],
          failMode: a['fail-mode'],
          limitHeaders: a['limit-headers'],
          workers: a.workers,
          protections: a.protections,
        };
        // The server's modules load only when it starts; serveCommand checks its options before it listens.
        action = async () => {
          const { listFlaws, serveCommand } = await import('./commands/serve.js');
          return a['list-flaws'] ? listFlaws(io) : serveCommand(args, io);
        };
      },
    )
    .command(
      'certs',
      'Generate the test PKI: CAs, a server certificate, the client certificate matrix, CRLs, a target profile',
      (y) =>
        y
          .option('out', { type: 'string', default: 'fixtures/pki', describe: 'Folder to write into (keep it out of version control)' })
          .option('hosts', { type: 'string', array: true, default: ['localhost', '127.0.0.1'], describe: 'Server certificate names and addresses (comma-separated or repeated)' })
          .option('force', { type: 'boolean', default: false, describe: 'Regenerate even if the existing set is still valid' })
          .example('$0 certs', 'Write fixtures/pki (or reuse it while it stays valid)')
          .example('$0 certs --out /tmp/pki --hosts api.local,127.0.0.1 --force', 'A fresh set for other hosts'),
      (a) => {
        const args = { out: a.out, hosts: listOption(a.hosts), force: a.force };
        action = () => certsCommand(args, io);
      },
    )
    .command(
      'demo',
      'Start the reference server, run the built-in scenarios against it, write reports',
      (y) =>
        reportOptions(y)
          .option('flaw', { type: 'string', array: true, default: [], describe: 'Give the server a named flaw (repeatable)' })
          .option('limiter', { type: 'string', choices: [...ALGORITHM_NAMES], default: 'sliding-log', describe: 'The rate-limiting algorithm the demo server runs and declares' })
          .example('$0 demo', 'Run the demo; reports in reports/')
          .example('$0 demo --limiter gcra --only "limits.*"', 'Only the rate-limit probes, against a GCRA limiter')
          .example('$0 demo --flaw errors-leak-stack', 'The same against a flawed server (exit 1)')
          .example('$0 demo --list', 'The ids of every check and case the demo runs'),
      (a) => {
        refuseConflicts(a, PLAN_CONFLICTS);
        const args = {
          flaw: listOption(a.flaw),
          limiter: a.limiter as AlgorithmName,
          reporters: parseReporterNames(a.reporter ?? ['console', 'json', 'junit', 'html']),
          outputDir: a['output-dir'],
          failOn: parseSeverity(a['fail-on'], '--fail-on'),
          only: globListOption(a.only),
          tags: listOption(a.tag),
          verbose: a.verbose,
          plan: planMode(a),
        };
        action = async () => {
          const { demoCommand } = await import('./commands/demo.js');
          return demoCommand(args, io);
        };
      },
    )
    .demandCommand(1, `name a command: ${COMMANDS.join(', ')}`)
    .strict()
    .version(packageVersion())
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .exitProcess(false)
    // A refused line throws: yargs then runs no handler, and main reports the error (exit 2).
    .fail((message, error, state) => {
      if (error) throw error;
      const command = COMMANDS.includes(argv[0] ?? '') ? argv[0] : undefined;
      throw explainRefusal(message, argv, knownOptions(state), command, command && SYNTAX[command]);
    });

  try {
    refuseUnknownCommand(argv, COMMANDS);
    await parser.parseAsync();
    // No action: --help or --version, which yargs printed.
    return action ? await action() : EXIT.ok;
  } catch (error) {
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: CommandIO): number {
  if (error instanceof ScenarioError) {
    io.stderr.write(`${error.message}\n\n${error.diagnostics.length} problem(s) found; nothing was sent.\n`);
    return EXIT.usage;
  }
  if (error instanceof GauntletError) {
    io.stderr.write(`error[${error.code}]: ${error.message}\n`);
    return error.exitCode;
  }
  io.stderr.write(`internal error: ${(error as Error)?.stack ?? error}\n`);
  return 70;
}
