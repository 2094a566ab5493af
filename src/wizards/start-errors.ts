// How a wizard words what stopped a run from starting: the spec's errors by line, an error's message, and what
// to do about it.
import type { Finding } from '../cluster-spec/types';
import { InvalidModelError } from '../ops';

export function describeFinding(f: Finding): string {
  return `line ${f.range.start.line + 1}: ${f.message} (${f.code})`;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function hintOf(err: unknown): string {
  if (err instanceof InvalidModelError)
    return 'Fix the spec in the editor (the Problems view lists what is wrong), then start again.';
  if ((err as Error).name === 'LockHeldError')
    return 'Wait for the running operation to end, then start again.';
  return 'Fix the cause above, then start again.';
}
