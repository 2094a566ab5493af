// Long actions of the tree run under a notification with Cancel, log to the output channel, and show
// a failure in words; mutations of a cluster hold its operation lock.
import * as vscode from 'vscode';
import type { ClusterElement } from '../tree/elements';
import type { CommandContext } from './types';

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function runWithProgress<T>(
  ctx: CommandContext,
  title: string,
  task: (signal: AbortSignal, report: (message: string) => void) => Promise<T>,
  fix?: string,
): Promise<T | undefined> {
  ctx.log.info(title);
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return task(controller.signal, (message) => {
          progress.report({ message });
          ctx.log.info(message);
        });
      },
    );
  } catch (error) {
    const message = messageOf(error);
    ctx.log.error(`${title} failed: ${message}`);
    void vscode.window.showErrorMessage(`${title} failed: ${message}${fix ? ` ${fix}` : ''}`);
    return undefined;
  }
}

/** Whether the cluster is connected (or retrying); otherwise says to connect first. */
export function connected(cluster: ClusterElement): boolean {
  const state = cluster.context.live.state;
  if (state === 'connected' || state === 'unreachable') return true;
  void vscode.window.showWarningMessage(`Connect to ${cluster.context.model.name} first.`);
  return false;
}
