// A terminal over the SSH layer's shell channel: keystrokes in, output out, resized with the panel.
import * as vscode from 'vscode';
import type { ShellChannelLike } from '../clusters';

export function createSshPty(
  title: string,
  open: (size: { cols: number; rows: number }) => Promise<ShellChannelLike>,
): vscode.Pseudoterminal & { readonly ready: Promise<void> } {
  const write = new vscode.EventEmitter<string>();
  const close = new vscode.EventEmitter<number | void>();
  let channel: ShellChannelLike | undefined;
  let pending: { cols: number; rows: number } | undefined;
  let resolveReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  return {
    onDidWrite: write.event,
    onDidClose: close.event,
    ready,
    open(initial) {
      const size = { cols: initial?.columns ?? 80, rows: initial?.rows ?? 24 };
      write.fire(`Connecting to ${title}…\r\n`);
      open(size).then(
        (ch) => {
          channel = ch;
          ch.onData((data) => write.fire(data));
          ch.onClose(() => close.fire(0));
          if (pending) ch.resize(pending.cols, pending.rows);
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
      if (channel) channel.write(data);
      else close.fire(1);
    },
    setDimensions(dimensions) {
      pending = { cols: dimensions.columns, rows: dimensions.rows };
      channel?.resize(dimensions.columns, dimensions.rows);
    },
    close() {
      channel?.close();
      write.dispose();
    },
  };
}
