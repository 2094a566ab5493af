// Failures of steps: each says where (node, step, command), what the output ended with, and what to do.
import type { FailureInfo } from './records';

/** Thrown inside a step. The runner adds the step and masks every field before anyone sees it. */
export class StepFailure extends Error {
  constructor(
    message: string,
    readonly hint: string,
    readonly details: {
      node?: string;
      command?: string;
      exitCode?: number | null;
      output?: string;
      /** Why a command never ran to its end, as the SSH layer says it (hostKeyRefused, auth, timeout…). */
      cause?: string;
    } = {},
  ) {
    super(message);
    this.name = 'StepFailure';
  }
}

/** How a run ended when it did not succeed; message is one readable paragraph, already masked. */
export class OperationError extends Error {
  constructor(readonly failure: FailureInfo) {
    super(formatFailure(failure));
    this.name = 'OperationError';
  }
}

export function formatFailure(f: FailureInfo): string {
  const where = f.node ? ` on ${f.node}` : '';
  const parts = [`Step "${f.stepTitle}" failed${where}: ${f.message}`];
  if (f.command) parts.push(`Command: ${f.command}${f.exitCode != null ? ` (exit ${f.exitCode})` : ''}`);
  if (f.outputTail.length) parts.push(`Output (last lines):\n  ${f.outputTail.join('\n  ')}`);
  parts.push(`What to do: ${f.hint}`);
  return parts.join('\n');
}

/** The last non-empty lines of a command's output. */
export function tailLines(text: string, count = 12): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l.length > 0)
    .slice(-count);
}
