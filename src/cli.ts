#!/usr/bin/env node
// The `personalize-local` command: `start` serves the emulator over HTTP, `evaluate` runs the offline evaluation
// workbench, `coverage` prints COVERAGE.md.
import { parseArgs } from 'node:util';
import { createLocalApi } from './api/local.js';
import { startServer } from './api/http/server.js';
import { UI_PATH } from './api/http/console/index.js';
import { coverageMarkdown } from './api/operations-table.js';
import type { EngineOptions } from './engine/config.js';
import { ManualClock } from './engine/clock.js';
import { REGION_PATTERN } from './engine/region.js';
import { VERSION } from './version.js';
import { evaluate, type EvaluateOptions } from './workbench/evaluate.js';
import { summaryTable, terminalProgress } from './workbench/terminal.js';

const USAGE = `personalize-local ${VERSION}: Amazon Personalize, offline.

Usage:
  personalize-local start [options]   serve the Personalize, runtime and events APIs on one port
  personalize-local evaluate [DATA] [options]
                                      compare recipes offline on your CSV files: metrics with
                                      intervals over seeds, results.json/.csv and report.html
  personalize-local coverage          print COVERAGE.md (which operations are implemented)
  personalize-local --help | --version

Options of start:
  --port N                 port to listen on (default 4566; 0 picks a free port)
  --host HOST              address to bind (default 127.0.0.1; 0.0.0.0 for all interfaces)
  --data-dir DIR           where state is kept (default ./.personalize-local)
  --in-memory              keep nothing on disk
  --transitions MODE       background (default): Create calls that do work (imports,
                           training, batch jobs) return at once and show CREATE IN_PROGRESS
                           until done, as on AWS; poll Describe. immediate: they return
                           when the work is done (clients with read timeouts, such as
                           boto3's 60 s, retry and duplicate long ones). realistic: like
                           background, plus CREATE PENDING / IN_PROGRESS for a few seconds
  --seed N                 seed for everything random (default 0)
  --region REGION          region of requests that are not signed for one (default
                           us-east-1); a signed request is served in the region of its
                           SigV4 credential scope, and sees only that region's resources
  --training-threads N     threads one training may use (default: one per core); models are
                           the same bytes whatever N
  --clock system|manual    system (default): real time, which POST /_personalize/clock
                           {"advanceSeconds": N} moves forward by N seconds; manual: time
                           moves only by that route ({"advanceSeconds": N} or
                           {"now": epochSeconds}, which may also go back)

Options of evaluate (DATA: a folder holding interactions.csv, and optionally items.csv, users.csv):
  --interactions FILE      the interactions CSV (instead of DATA/interactions.csv); also --items, --users
  --schema TYPE=FILE       an Avro schema for Interactions, Items or Users (default: from the header)
  --recipe NAME            a recipe to compare with its defaults (repeatable), e.g. aws-sims
  --config FILE            a JSON list of CreateSolution inputs (recipeArn, eventType, solutionConfig...),
                           each optionally with campaignConfig, filterExpression and filterValues
  --baseline NAME          configuration or recipe compared against (default aws-popularity-count)
  --seeds N                split seeds (default 5)          --seed N   the first seed (default 1)
  --split SPEC             personalize (default), time:<ISO date> or last:<N>d
  --out DIR                where results.json, results.csv and report.html go (default ./evaluation)
  --workers N              worker threads (default: one per core; 0 = none)

Point the AWS SDK at it with endpoint: 'http://127.0.0.1:4566' or AWS_ENDPOINT_URL.
The console (data, models, recommendations, events) is at http://127.0.0.1:4566/_personalize/ui.`;

/** A usage mistake: one line on stderr, then the usage, exit 2. */
class UsageError extends Error {}

const EVALUATE_OPTIONS = {
  interactions: { type: 'string' },
  items: { type: 'string' },
  users: { type: 'string' },
  schema: { type: 'string', multiple: true },
  recipe: { type: 'string', multiple: true },
  config: { type: 'string' },
  baseline: { type: 'string' },
  seeds: { type: 'string' },
  seed: { type: 'string' },
  split: { type: 'string' },
  out: { type: 'string' },
  workers: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `evaluate`'s flags -> the options of evaluate() (the same function the package exports). */
function parseEvaluate(argv: string[]): EvaluateOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: EVALUATE_OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0].replace(/\. To specify a positional.*$/, ''));
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[1])}: evaluate takes one data folder`);
  const schemas: Record<string, string> = {};
  for (const s of values.schema ?? []) {
    const m = /^([A-Za-z_]+)=(.+)$/.exec(s);
    if (!m) throw new UsageError(`--schema ${s}: use TYPE=FILE, e.g. --schema Items=items.avsc`);
    schemas[m[1]!] = m[2]!;
  }
  return {
    ...(positionals[0] !== undefined ? { data: positionals[0] } : {}),
    ...(values.interactions !== undefined ? { interactions: values.interactions } : {}),
    ...(values.items !== undefined ? { items: values.items } : {}),
    ...(values.users !== undefined ? { users: values.users } : {}),
    ...(values.schema ? { schemas } : {}),
    ...(values.recipe ? { recipes: values.recipe } : {}),
    ...(values.config !== undefined ? { config: values.config } : {}),
    ...(values.baseline !== undefined ? { baseline: values.baseline } : {}),
    ...(values.seeds !== undefined ? { seeds: integer('seeds', values.seeds, 1, 100) } : {}),
    ...(values.seed !== undefined ? { firstSeed: integer('seed', values.seed, 0, 2 ** 31 - 101) } : {}),
    ...(values.split !== undefined ? { split: values.split } : {}),
    out: values.out ?? 'evaluation',
    ...(values.workers !== undefined ? { workers: integer('workers', values.workers, 0, 256) } : {}),
  };
}

async function runEvaluate(options: EvaluateOptions): Promise<void> {
  const progress = terminalProgress(process.stderr);
  let doc;
  try {
    doc = await evaluate({ ...options, onProgress: (e) => progress.onProgress(e) });
  } catch (err) {
    progress.stop();
    // Bad input (files, schemas, rows, configurations, too little data): one line saying what and how to fix it.
    fail(err instanceof Error ? err.message.replace(/\s*\n\s*/g, ' ') : String(err));
  }
  progress.stop();
  process.stdout.write(`${summaryTable(doc, { color: !!process.stdout.isTTY })}\n`);
}

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'data-dir': { type: 'string' },
  'in-memory': { type: 'boolean' },
  transitions: { type: 'string' },
  seed: { type: 'string' },
  region: { type: 'string' },
  clock: { type: 'string' },
  'training-threads': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

function integer(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${flag} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return n;
}

function parse(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    // Node's messages go on about positionals after `--`; the first sentence is the useful part.
    throw new UsageError((err as Error).message.split('\n')[0].replace(/\. To specify a positional.*$/, ''));
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[1])}`);
  if (command === undefined && !values.help && !values.version) throw new UsageError('missing command: start, evaluate or coverage');
  if (command !== undefined && command !== 'start' && command !== 'coverage' && command !== 'help') {
    throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
  if (command === 'coverage') {
    const startOnly = Object.keys(values).filter((k) => k !== 'help' && k !== 'version');
    if (startOnly.length) throw new UsageError(`--${startOnly[0]} is an option of start, not of coverage`);
  }
  if (values['data-dir'] !== undefined && values['in-memory']) {
    throw new UsageError('--data-dir and --in-memory cannot be used together');
  }
  const transitions = values.transitions;
  if (transitions !== undefined && transitions !== 'immediate' && transitions !== 'background' && transitions !== 'realistic') {
    throw new UsageError(`--transitions must be background, immediate or realistic, got ${JSON.stringify(transitions)}`);
  }
  const engine: EngineOptions = {};
  if (values['data-dir'] !== undefined) engine.dataDir = values['data-dir'];
  if (values['in-memory']) engine.inMemory = true;
  // Over HTTP, Create calls answer at once by default (as AWS does); the in-process client keeps `immediate`.
  engine.transitions = transitions ?? 'background';
  // Requests arrive concurrently over HTTP: user-personalization ranks on a worker thread meanwhile.
  engine.servingWorker = true;
  if (values.region !== undefined) {
    if (!REGION_PATTERN.test(values.region)) throw new UsageError(`--region must be a region name such as eu-west-1, got ${JSON.stringify(values.region)}`);
    engine.region = values.region;
  }
  if (values.seed !== undefined) engine.seed = integer('seed', values.seed, 0, Number.MAX_SAFE_INTEGER);
  if (values['training-threads'] !== undefined) engine.trainingThreads = integer('training-threads', values['training-threads'], 1, 256);
  if (values.clock !== undefined) {
    if (values.clock !== 'system' && values.clock !== 'manual') throw new UsageError(`--clock must be system or manual, got ${JSON.stringify(values.clock)}`);
    // A manual clock starts at the current time and moves only through POST /_personalize/clock.
    if (values.clock === 'manual') engine.clock = new ManualClock(Date.now());
  }
  return {
    command: values.help || command === 'help' ? 'help' : values.version ? 'version' : command,
    port: values.port === undefined ? 4566 : integer('port', values.port, 0, 65535),
    host: values.host ?? '127.0.0.1',
    engine,
  };
}

async function start(port: number, host: string, engine: EngineOptions): Promise<void> {
  // Signals are caught from the very start, so a stop during startup still closes the state cleanly.
  let shutdown: (() => Promise<void>) | undefined;
  let stopRequested = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopRequested) {
      // A second Ctrl-C means "now": skip the graceful part.
      process.stderr.write(`personalize-local: ${signal} again: exiting without waiting for in-flight requests\n`);
      process.exit(1);
    }
    stopRequested = true;
    if (!shutdown) return; // startup sees stopRequested and shuts down when it gets there
    try {
      await shutdown();
      process.exit(0);
    } catch (err) {
      fail(`error while shutting down: ${(err as Error).message}`);
    }
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const local = await createLocalApi(engine);
  let running;
  try {
    running = await startServer({ api: local.api, host, port, admin: local });
  } catch (err) {
    await local.close().catch(() => {});
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') fail(`port ${port} is in use: stop the other process or pass --port N (0 picks a free port)`);
    if (e.code === 'EACCES') fail(`no permission to listen on ${host}:${port}: pick a port above 1023 with --port N`);
    if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') fail(`cannot bind to host ${host}: pass --host with an address of this machine`);
    fail(`cannot start the server: ${e.message}`);
  }
  const server = running;
  shutdown = async () => {
    await server.close(); // stops accepting, lets in-flight requests finish
    await local.close(); // flushes state
  };
  process.stdout.write(`listening on ${server.url}\n`);
  process.stdout.write(`console at ${server.url}${UI_PATH}\n`);
  if (stopRequested) {
    stopRequested = false;
    await stop('SIGTERM');
  }
}

async function coverage(): Promise<void> {
  const local = await createLocalApi({ inMemory: true });
  try {
    process.stdout.write(coverageMarkdown(local.api));
  } finally {
    await local.close();
  }
}

function fail(message: string, code = 1): never {
  process.stderr.write(`personalize-local: ${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  if (process.argv[2] === 'evaluate') {
    let options;
    try {
      options = parseEvaluate(process.argv.slice(3));
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      process.stderr.write(`personalize-local evaluate: ${err.message}\n\n${USAGE}\n`);
      process.exit(2);
    }
    if (options === 'help') { process.stdout.write(`${USAGE}\n`); return; }
    return runEvaluate(options);
  }
  let args;
  try {
    args = parse(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`personalize-local: ${err.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  switch (args.command) {
    case 'help': process.stdout.write(`${USAGE}\n`); return;
    case 'version': process.stdout.write(`${VERSION}\n`); return;
    case 'coverage': return coverage();
    default: return start(args.port, args.host, args.engine);
  }
}

main().catch((err) => fail(err instanceof Error ? err.message : String(err)));
