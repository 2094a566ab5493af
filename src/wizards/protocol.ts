/**
 * Messages between a wizard panel (extension side) and its webview. Both sides validate what they receive:
 * a webview is untrusted input, and a stale webview after an update may speak an older protocol.
 */

export type WebviewToHost =
  { type: 'ready' } | { type: 'command'; name: 'start' | 'cancel' | 'resume' | 'dryRun' };

export type HostToWebview = {
  type: 'state';
  title: string;
  steps: Array<{ id: string; label: string; state: StepState }>;
};

export type StepState = 'pending' | 'running' | 'skipped' | 'succeeded' | 'failed' | 'cancelled';

const COMMAND_NAMES = new Set(['start', 'cancel', 'resume', 'dryRun']);

/** Returns the message when it is a well-formed WebviewToHost, else undefined. */
export function parseWebviewMessage(value: unknown): WebviewToHost | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const message = value as Record<string, unknown>;
  if (message.type === 'ready' && Object.keys(message).length === 1) return { type: 'ready' };
  if (message.type === 'command' && typeof message.name === 'string' && COMMAND_NAMES.has(message.name)) {
    return { type: 'command', name: message.name as 'start' | 'cancel' | 'resume' | 'dryRun' };
  }
  return undefined;
}
