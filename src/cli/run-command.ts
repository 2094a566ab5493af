// gateway-cluster run OPERATION SPEC: the editor's run from a terminal or a pipeline — the same plan, steps,
// "already done" checks, transcripts and lock. Secrets come from the secrets file (or the terminal) before
// anything connects; SIGINT/SIGTERM cancel the run through the engine, which stops the remote processes.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { LockHeldError } from '../clusters';
import { OPERATIONS, type OperationInfo } from '../ops/catalog';
import type { RunResult } from '../ops';
import type { OperationCliArgs } from './args';
import { openCluster, type CliHost } from './cluster';
import { confirmOperation } from './confirmations';
import { CliError, EXIT, type ExitStatus } from './exit';
import { planOf } from './operation';
import type { Output } from './output';
import { RemoteFailures } from './remote-failures';
import { askSudoPasswordWhenNeeded, requireSecrets, storeFileSecrets } from './secrets';
import { SECRETS_FILE_ENV, SUDO_PASSWORD_KEY, readSecretsFile } from './secrets-file';

const cancelledBeforeRun = () => new CliError(EXIT.cancelled, 'cancelled; nothing was run.');

export async function runCommand(args: OperationCliArgs, host: CliHost, output: Output): Promise<ExitStatus> {
  const { context, backend, hostKeys, terminal } = openCluster(args, host, output);
  const abort = new AbortController();
  const cancel = () => abort.abort();
  host.cancel.addEventListener('abort', cancel);
  if (host.cancel.aborted) cancel();
  const failures = new RemoteFailures((node, kind, message) => hostKeys.noteRefusal(node, kind, message));
  try {
    const engine = context.engine({
      onEvent: (event) => output.event(event),
      observe: (runner) => failures.observe(runner),
    });
    const plan = planOf(engine, args, context);
    const secretsFile = args.secretsFile ?? (host.env[SECRETS_FILE_ENV] || undefined);
    if (secretsFile) {
      await storeFileSecrets(
        context,
        readSecretsFile(secretsFile, { workstation: host.workstation, uid: host.uid }),
      );
    }
    askSudoPasswordWhenNeeded(backend, context, terminal, cancel);
    await requireSecrets(context, args.operation, terminal);
    const info: OperationInfo = OPERATIONS[args.operation];
    await confirmOperation(
      args.operation,
      info,
      { ...args, cluster: context.model.name, topology: context.model.topology },
      terminal,
    );
    if (abort.signal.aborted) throw cancelledBeforeRun();
    let result: RunResult;
    try {
      result = await context.withLock(args.operation, () => engine.run(plan, { signal: abort.signal }));
    } catch (error) {
      if (error instanceof LockHeldError) throw new CliError(EXIT.locked, error.message);
      throw error;
    }
    const transcript = path.join(context.runsDir, `${result.runId}.json`);
    const status: ExitStatus =
      result.outcome === 'cancelled'
        ? EXIT.cancelled
        : result.outcome === 'succeeded'
          ? EXIT.ok
          : hostKeys.refused
            ? EXIT.hostKey
            : EXIT.failed;
    output.finished({
      resumable: status === EXIT.failed,
      operation: args.operation,
      cluster: context.model.name,
      outcome: result.outcome,
      durationMs: result.transcript.durationMs ?? 0,
      transcript: existsSync(transcript) ? transcript : null,
      failure: result.failure,
      next:
        status === EXIT.hostKey
          ? hostKeys.advice()
          : failures.has('sudo')
            ? `Put the sudo password in the secrets file as "${SUDO_PASSWORD_KEY}" (or run on a terminal to be asked for it), then run again.`
            : undefined,
    });
    return status;
  } catch (error) {
    if (error instanceof CliError) throw error;
    // Anything else is unexpected; its message is masked like every other line.
    const message = context.masker.mask(error instanceof Error ? error.message : String(error));
    throw new CliError(EXIT.failed, `unexpected error: ${message}`);
  } finally {
    host.cancel.removeEventListener('abort', cancel);
    await context.dispose();
  }
}
