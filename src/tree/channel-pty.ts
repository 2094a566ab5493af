// A terminal over an interactive channel (an SSH shell, a container's exec): keystrokes in, output out,
// resized with the panel (a resize before the channel opened is applied once it has), closed when the far
// end ends; a failure to open is shown in the terminal, and the next key closes it.
import * as vscode from 'vscode';

export interface PtyChannel {
  write(data: string): void;
  resize(cols: number, rows: number): void;
  close(): void;
}

/** Where the channel's output and its end go. */
export interface PtySink {
  data(text: string): void;
  /** The far end ended; a message is shown in red when the code is not 0. */
  exit(code: number, message?: string): void;
}

export type ChannelPty<C> = vscode.Pseudoterminal & {
  readonly ready: Promise<void>;
  channel(): C | undefined;
};

export function createChannelPty<C extends PtyChannel>(
  title: string,
  open: (size: { cols: number; rows: number }, sink: PtySink) => Promise<C>,
): ChannelPty<C> {
  const write = new vscode.EventEmitter<string>();
  const close = new vscode.EventEmitter<number | void>();
  let channel: C | undefined;
  let pending: { cols: number; rows: number } | undefined;
  let closed = false;
  let resolveReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  const red = (text: string) => `\r\n\x1b[31m${text}\x1b[0m\r\n`;
  const sink: PtySink = {
    data: (text) => write.fire(text),
    exit: (code, message) => {
      if (closed) return;
      if (code !== 0 && message) write.fire(red(message));
      closed = true;
      close.fire(code);
    },
  };
  return {
    onDidWrite: write.event,
    onDidClose: close.event,
    ready,
    channel: () => channel,
    open(initial) {
      const size = { cols: initial?.columns ?? 80, rows: initial?.rows ?? 24 };
      write.fire(`Connecting to ${title}…\r\n`);
      open(size, sink).then(
        (opened) => {
          channel = opened;
          if (pending) opened.resize(pending.cols, pending.rows);
          resolveReady();
        },
        (error: unknown) => {
          write.fire(
            `${red(error instanceof Error ? error.message : String(error))}Press any key to close.\r\n`,
          );
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
      closed = true;
      channel?.close();
      write.dispose();
    },
  };
}
