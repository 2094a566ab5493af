// A terminal on a container over the API's exec subprotocol: keystrokes in, output out, resized with the
// panel; bash, or sh when the image has none (ClusterViews.openShell). Closes when the shell exits.
import * as vscode from 'vscode';
import type { ClusterViews, ExecSession } from '../clusters';

export function createExecPty(
  views: ClusterViews,
  target: { namespace: string; pod: string; container: string },
): vscode.Pseudoterminal & { readonly ready: Promise<void>; shell(): string | undefined } {
  const write = new vscode.EventEmitter<string>();
  const close = new vscode.EventEmitter<number | void>();
  let session: (ExecSession & { shell(): string }) | undefined;
  let resolveReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  let closed = false;
  return {
    onDidWrite: write.event,
    onDidClose: close.event,
    ready,
    /** The shell that runs: bash, or sh after the fallback. */
    shell: () => session?.shell(),
    open(initial) {
      const size = { cols: initial?.columns ?? 80, rows: initial?.rows ?? 24 };
      write.fire(`Connecting to ${target.namespace}/${target.pod} [${target.container}]…\r\n`);
      views
        .openShell(
          target,
          size,
          (data) => write.fire(data),
          (result) => {
            if (closed) return;
            if (result.code !== 0 && result.message) write.fire(`\r\n\x1b[31m${result.message}\x1b[0m\r\n`);
            closed = true;
            close.fire(result.code);
          },
        )
        .then(
          (opened) => {
            session = opened;
            resolveReady();
          },
          (error: unknown) => {
            const message = error instanceof Error ? error.message : String(error);
            write.fire(`\r\n\x1b[31m${message}\x1b[0m\r\nPress any key to close.\r\n`);
            resolveReady();
          },
        );
    },
    handleInput(data) {
      if (session) session.write(data);
      else close.fire(1);
    },
    setDimensions(dimensions) {
      session?.resize(dimensions.columns, dimensions.rows);
    },
    close() {
      closed = true;
      session?.close();
      write.dispose();
    },
  };
}
