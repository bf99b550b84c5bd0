import yargs, { type Argv } from 'yargs';
import { benchCommand } from './commands/bench.js';
import { demoCommand } from './commands/demo.js';
import { executeRun } from './commands/execute-run.js';
import { processIO, type CommandIO } from './commands/io.js';
import { listOption, parsePositiveInt, parseSeverity, parseTimeout, parseVars } from './commands/parse-options.js';
import { schemaCommand } from './commands/schema.js';
import { listFlaws, serveCommand } from './commands/serve.js';
import { validateCommand } from './commands/validate.js';
import { parseReporterNames, REPORTER_NAMES } from './report/create-reporters.js';
import { SEVERITIES } from './results/model.js';
import { ScenarioError } from './scenario/diagnostics.js';
import { EXIT, GauntletError } from './util/errors.js';
import { packageVersion } from './util/package-root.js';
import { UnknownFlawError } from './reference/server/create-server.js';
import { ALGORITHM_NAMES } from './reference/limiters/algorithms/types.js';

const reportOptions = (y: Argv) =>
  y
    .option('reporter', { alias: 'r', type: 'string', array: true, describe: `Reporters: ${REPORTER_NAMES.join(', ')} (repeatable or comma-separated)` })
    .option('output-dir', { alias: 'o', type: 'string', default: 'reports', describe: 'Folder for report files' })
    .option('fail-on', { type: 'string', choices: [...SEVERITIES], default: 'info', describe: 'Lowest severity whose failure fails the run' })
    .option('only', { type: 'string', array: true, describe: 'Run only checks whose id matches this glob (repeatable)' })
    .option('tag', { type: 'string', array: true, describe: 'Run only checks with this tag (repeatable)' })
    .option('verbose', { alias: 'v', type: 'boolean', describe: 'Print the message of every check' });

/** Parses argv and runs a command; returns the exit code instead of exiting, so it can be tested in process. */
export async function main(argv: string[], io: CommandIO = processIO): Promise<number> {
  let exitCode: number = EXIT.ok;
  let usageError: string | undefined;
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
          .example('$0 run --target http://127.0.0.1:8080', 'Run scenarios/ against a target')
          .example('$0 run scenarios/api-basics.yaml -p fixtures/targets/staging.yaml -r junit,html', 'One scenario with a profile, JUnit and HTML reports')
          .example('$0 run --only "basics.*" --fail-on high --timeout 2s -t https://api.local', 'Some checks; fail only on high or critical'),
      async (a) => {
        exitCode = await executeRun({
          paths: a.paths as string[],
          target: a.target,
          profilePath: a.profile,
          reporters: parseReporterNames(a.reporter ?? ['console']),
          outputDir: a['output-dir'],
          failOn: parseSeverity(a['fail-on'], '--fail-on'),
          only: listOption(a.only),
          tags: listOption(a.tag),
          timeoutMs: parseTimeout(a.timeout),
          concurrency: parsePositiveInt(a.concurrency, '--concurrency', 4),
          vars: parseVars(a.var),
          allowLoad: a['allow-load'],
          maxBodyBytes: a['max-body'] === undefined ? undefined : parsePositiveInt(a['max-body'], '--max-body', 1),
          verbose: a.verbose,
          io,
        });
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
        exitCode = validateCommand({ paths: a.paths as string[], profile: a.profile, vars: parseVars(a.var) }, io);
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
        exitCode = schemaCommand({ profile: a.profile, write: a.write }, io);
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
          .example('$0 serve --port 8080', 'Serve the correct reference API')
          .example('$0 serve --flaw errors-leak-stack', 'Serve it with a flaw')
          .example('$0 serve --limiter sliding-log --limit 100 --window 60s', 'Rate-limit to 100 requests a minute per client')
          .example('$0 serve --limiter gcra --limit 50 --window 10s --store redis --redis-url redis://127.0.0.1:6379 --workers 4', 'Four workers enforcing one global limit through Redis')
          .example('$0 serve --list-flaws', 'List flaws'),
      async (a) => {
        exitCode = a['list-flaws']
          ? listFlaws(io)
          : await serveCommand(
              {
                port: a.port,
                host: a.host,
                flaws: listOption(a.flaw),
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
              },
              io,
            );
      },
    )
    .command(
      'bench <suite>',
      'Benchmark the reference limiters against rate-limiter-flexible: bench limiters',
      (y) =>
        y
          .positional('suite', { type: 'string', choices: ['limiters'], describe: 'What to benchmark' })
          .option('quick', { type: 'boolean', default: false, describe: 'Fewer and shorter runs (under a minute)' })
          .option('json', { type: 'string', describe: 'Write the results as JSON to this file' })
          .option('html', { type: 'string', describe: 'Write a self-contained HTML page with charts to this file' })
          .option('redis-url', { type: 'string', describe: 'Redis to measure the Redis store on (default: start a private redis-server if installed)' })
          .option('redis', { type: 'boolean', default: true, describe: 'Measure the Redis store (--no-redis to skip)' })
          .example('$0 bench limiters --quick', 'A quick run: the console table')
          .example('$0 bench limiters --json reports/bench.json --html reports/bench.html', 'A full run with JSON and an HTML page'),
      async (a) => {
        exitCode = await benchCommand({ suite: a.suite as string, quick: a.quick, json: a.json, html: a.html, redisUrl: a['redis-url'], redis: a.redis, argv }, io);
      },
    )
    .command(
      'demo',
      'Start the reference server, run the built-in scenarios against it, write reports',
      (y) =>
        reportOptions(y)
          .option('flaw', { type: 'string', array: true, default: [], describe: 'Give the server a named flaw (repeatable)' })
          .example('$0 demo', 'Run the demo; reports in reports/')
          .example('$0 demo --flaw errors-leak-stack', 'The same against a flawed server (exit 1)'),
      async (a) => {
        exitCode = await demoCommand(
          {
            flaw: listOption(a.flaw),
            reporters: parseReporterNames(a.reporter ?? ['console', 'json', 'junit', 'html']),
            outputDir: a['output-dir'],
            failOn: parseSeverity(a['fail-on'], '--fail-on'),
            only: listOption(a.only),
            tags: listOption(a.tag),
            verbose: a.verbose,
          },
          io,
        );
      },
    )
    .demandCommand(1, 'Name a command: run, validate, schema, serve, bench or demo')
    .strict()
    .recommendCommands()
    .version(packageVersion())
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .exitProcess(false)
    .fail((message, error) => {
      if (error) throw error;
      usageError = message;
    });

  try {
    await parser.parseAsync();
  } catch (error) {
    return reportError(error, io);
  }
  if (usageError) {
    io.stderr.write(`${usageError}\nRun 'gauntlet --help' for usage.\n`);
    return EXIT.usage;
  }
  return exitCode;
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
  if (error instanceof UnknownFlawError) {
    io.stderr.write(`error[E_USAGE]: ${error.message}\n`);
    return EXIT.usage;
  }
  io.stderr.write(`internal error: ${(error as Error)?.stack ?? error}\n`);
  return 70;
}
