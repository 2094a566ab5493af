// One command on one node inside a run: recorded in the transcript (masked), streamed as events, stopped by
// the run's cancel, and turned into a StepFailure that names node, command, output and what to do.
import type { NodeModel } from '../../cluster-spec/types';
import { joinArgv } from '../../encode/shell';
import { StepFailure } from '../errors';
import type { ExecOptions } from '../plan';
import type { Clock, NodeCommand, NodeExecResult, NodeRunner, SecretMasker } from '../ports';
import type { TranscriptCommand } from '../records';
import { plainOutputLine } from './plain-output';
import { CancelledError, type Timeouts } from './deps';
import type { RunRecorder } from './recorder';

const OUTPUT_LINES_KEPT = 400;
const CLEANUP_TIMEOUT_MS = 30_000;

/** The masked display of a command, the same in events, transcripts, errors and dry runs. */
export function showCommand(command: NodeCommand): string {
  return 'argv' in command ? joinArgv(command.argv) : command.script;
}

export interface NodeExecScope {
  nodes: NodeRunner;
  masker: SecretMasker;
  clock: Clock;
  recorder: RunRecorder;
  signal: AbortSignal;
  timeouts: Timeouts;
}

/** Records a command (or an upload) as started: in the transcript, and as a `command` event. */
export function startCommandEntry(
  scope: Pick<NodeExecScope, 'clock' | 'recorder'>,
  stepId: string,
  node: NodeModel,
  shown: string,
  details: Pick<TranscriptCommand, 'sudo' | 'stdin' | 'outputHidden'>,
): TranscriptCommand {
  const { clock, recorder } = scope;
  const entry: TranscriptCommand = {
    seq: recorder.record.commands.length + 1,
    step: stepId,
    node: node.hostname,
    command: shown,
    ...details,
    startedAt: clock.now(),
    output: [],
  };
  recorder.record.commands.push(entry);
  recorder.emit({
    type: 'command',
    runId: recorder.runId,
    at: entry.startedAt,
    step: stepId,
    node: node.hostname,
    command: shown,
    sudo: entry.sudo,
    seq: entry.seq,
  });
  return entry;
}

export async function execOnNode(
  scope: NodeExecScope,
  stepId: string,
  node: NodeModel,
  command: NodeCommand,
  options: ExecOptions,
): Promise<NodeExecResult> {
  const { masker, clock, recorder } = scope;
  // Cleanup runs after a cancel too, bounded by its own timeout.
  const signal = options.cleanup ? AbortSignal.timeout(CLEANUP_TIMEOUT_MS) : scope.signal;
  if (signal.aborted) throw new CancelledError();
  const shown = masker.mask(showCommand(command));
  const entry = startCommandEntry(scope, stepId, node, shown, {
    sudo: Boolean(options.sudo),
    stdin: options.stdin !== undefined ? (options.stdinLabel ?? '(input on stdin, not recorded)') : undefined,
    outputHidden: options.secretOutput || undefined,
  });
  const started = clock.monotonic();
  let streamed = 0;
  const onLine = (line: string, stream: 'stdout' | 'stderr') => {
    streamed++;
    if (options.secretOutput) return;
    const masked = masker.mask(plainOutputLine(line));
    entry.output.push(masked);
    if (entry.output.length > OUTPUT_LINES_KEPT) entry.output.shift();
    if (options.quiet) return;
    recorder.emit({
      type: 'output',
      runId: recorder.runId,
      at: clock.now(),
      step: stepId,
      node: node.hostname,
      stream,
      line: masked,
      seq: entry.seq,
    });
  };
  let result: NodeExecResult;
  try {
    result = await scope.nodes.exec(node, command, {
      stdin: options.stdin,
      timeoutMs: options.cleanup ? CLEANUP_TIMEOUT_MS : (options.timeoutMs ?? scope.timeouts.command),
      signal,
      sudo: options.sudo,
      onLine,
    });
  } catch (err) {
    entry.durationMs = clock.monotonic() - started;
    if (scope.signal.aborted && !options.cleanup) {
      entry.error = 'cancelled';
      throw new CancelledError();
    }
    const message = masker.mask(err instanceof Error ? err.message : String(err));
    entry.error = message;
    const cause = (err as { kind?: unknown }).kind;
    throw new StepFailure(message, hintForLostCommand(err, message, node), {
      node: node.hostname,
      command: shown,
      output: entry.output.join('\n'),
      ...(typeof cause === 'string' ? { cause } : {}),
    });
  }
  entry.durationMs = clock.monotonic() - started;
  entry.exitCode = result.code;
  // A runner that does not stream (or streamed nothing) still leaves its output in the transcript.
  if (streamed === 0 && !options.secretOutput) {
    for (const line of result.stdout.split(/\r?\n/)) if (line) onLine(line, 'stdout');
    for (const line of result.stderr.split(/\r?\n/)) if (line) onLine(line, 'stderr');
  }
  const ok = options.okCodes === 'any' || (options.okCodes ?? [0]).includes(result.code ?? -1);
  if (!ok) {
    const explained = options.explain?.(result);
    const output = options.secretOutput ? '' : `${result.stdout}\n${result.stderr}`;
    throw new StepFailure(
      explained?.message ?? `The command exited with ${result.code ?? 'a signal'}.`,
      explained?.hint ?? `Read the output above, fix the cause on ${node.hostname}, then resume.`,
      { node: node.hostname, command: shown, exitCode: result.code, output },
    );
  }
  return result;
}

/** What to do when a command never finished: the hint follows the cause, not a guess. */
function hintForLostCommand(err: unknown, message: string, node: NodeModel): string {
  const kind = (err as { kind?: string }).kind;
  switch (kind) {
    case 'timeout':
      return `The command hung on ${node.hostname} and was stopped. Look at the output above, fix the cause on the node, then resume.`;
    case 'hostKeyRefused':
      return `The host key of ${node.hostname} was not trusted. Compare its fingerprint with the node's (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the console), then resume and trust it when asked.`;
    case 'hostKeyChanged':
      return `The host key of ${node.hostname} changed. If the VM was really replaced, remove its old key from known_hosts; otherwise do not connect.`;
    case 'auth':
      return `Check the SSH user, key or password the spec gives for ${node.hostname} (ssh.user, ssh.identityFile, ssh.passwordSecret), then resume.`;
    case 'sudo':
      return `Enter the sudo password for ${node.hostname} when the wizard asks for it, then resume.`;
    default:
      return /timed out|timeout/i.test(message)
        ? `The command hung on ${node.hostname} and was stopped. Look at the output above, fix the cause on the node, then resume.`
        : `Check that ${node.hostname} (${node.address}) is up and reachable over SSH, then resume.`;
  }
}
