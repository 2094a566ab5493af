// gateway-cluster: validate specs, and plan or run the operations on a cluster, from a terminal or a
// pipeline (docs/cli.md is the contract). This file dispatches the command and wires the process: its
// streams, its terminal, and SIGINT/SIGTERM, which cancel a run (a second one quits at once).
import { readFileSync } from 'node:fs';
import { OPERATIONS } from '../ops/catalog';
import { thisWorkstation } from '../remote/platform';
import { parseOperationArgs } from './args';
import type { CliHost } from './cluster';
import { CliError, EXIT, type ExitStatus } from './exit';
import type { Output } from './output';
import { USAGE, helpText } from './usage';
import { validateCommand } from './validate';

/** Set by the build (scripts/node-bundles.ts) from package.json. */
declare const GATEWAY_CLUSTER_VERSION: string | undefined;
const VERSION = typeof GATEWAY_CLUSTER_VERSION === 'string' ? GATEWAY_CLUSTER_VERSION : '0.0.0-dev';

const HELP = new Set(['--help', '-h', 'help']);

/** Runs the CLI and returns its exit status (kept apart from the process for tests). */
export async function main(argv: readonly string[], host: CliHost): Promise<ExitStatus> {
  const { stdout, stderr } = host.streams;
  const [command, ...rest] = argv;
  const usageError = (message: string) => {
    stderr.write(`gateway-cluster: ${message}\n${USAGE}\n`);
    return EXIT.usage;
  };
  if (command === undefined) return usageError('missing command');
  if (
    HELP.has(command) ||
    (['validate', 'plan', 'run', 'adopt'].includes(command) && rest.some((a) => HELP.has(a)))
  ) {
    stdout.write(`${helpText(OPERATIONS)}\n`);
    return EXIT.ok;
  }
  if (command === '--version' || command === 'version') {
    stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  if (command === 'validate') {
    try {
      return validateCommand(rest, {
        stdout: (text) => stdout.write(text),
        stderr: (text) => stderr.write(text),
        readFile: host.readFile,
      });
    } catch (error) {
      if (error instanceof CliError) return usageError(error.message);
      throw error;
    }
  }
  if (command === 'adopt') {
    try {
      // Loaded here: the other commands do not pay for the SSH and Kubernetes layers' wiring.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { adoptCommand } = require('./adopt-command') as typeof import('./adopt-command');
      return await adoptCommand(rest, host);
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      if (error.status === EXIT.usage) return usageError(error.message);
      stderr.write(`gateway-cluster: ${error.message}\n`);
      return error.status;
    }
  }
  if (command !== 'plan' && command !== 'run') return usageError(`unknown command "${command}"`);
  const args = parseOperationArgs(command, rest);
  if (typeof args === 'string') return usageError(args);
  // Loaded here: validate, --version and a usage error do not pay for the operations and cluster layers.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const output: Output =
    args.format === 'json'
      ? new (require('./json-output') as typeof import('./json-output')).JsonOutput(host.streams)
      : new (require('./text-output') as typeof import('./text-output')).TextOutput(host.streams);
  try {
    const { planCommand } = require('./plan-command') as typeof import('./plan-command');
    const { runCommand } = require('./run-command') as typeof import('./run-command');
    /* eslint-enable @typescript-eslint/no-require-imports */
    return await (command === 'plan' ? planCommand : runCommand)(args, host, output);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    output.error(error.status, error.message);
    return error.status;
  } finally {
    output.close();
  }
}

function processHost(cancel: AbortSignal): CliHost {
  // A reader that stops early (`| head`) must not crash a run halfway: its output just goes nowhere.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  return {
    streams: { stdout: process.stdout, stderr: process.stderr },
    stdin: process.stdin,
    env: process.env,
    readFile: (file) => readFileSync(file, 'utf8'),
    workstation: thisWorkstation(),
    uid: process.getuid?.(),
    cancel,
  };
}

if (require.main === module) {
  const cancel = new AbortController();
  // Only `run` (and adopt's connection) has remote work to stop: the others end at a signal as any process does.
  if (process.argv[2] === 'run' || process.argv[2] === 'adopt') {
    let signals = 0;
    const onSignal = (name: string) => {
      // A second signal quits at once; the first lets the run stop its remote processes and say so.
      if (++signals > 1) process.exit(EXIT.cancelled);
      process.stderr.write(`gateway-cluster: ${name}: cancelling; stopping the remote commands…\n`);
      cancel.abort();
    };
    process.on('SIGINT', () => onSignal('SIGINT'));
    process.on('SIGTERM', () => onSignal('SIGTERM'));
  }
  main(process.argv.slice(2), processHost(cancel.signal)).then(
    (status) => process.exit(status),
    (error: unknown) => {
      process.stderr.write(
        `gateway-cluster: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exit(EXIT.failed);
    },
  );
}
