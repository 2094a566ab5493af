// An interactive login shell on a pty, for a terminal.
import type { Client, ClientChannel } from 'ssh2';
import type { NodeScope } from './scope';

export interface ShellChannel {
  /** The pty stream: write keystrokes, read output. */
  stream: ClientChannel;
  resize(cols: number, rows: number): void;
  close(): void;
}

export interface ShellSize {
  cols: number;
  rows: number;
  term?: string;
}

/** Opens the shell; `use` marks the connection busy until the shell closes (the pool keeps it open). */
export function openShell(
  client: Client,
  scope: NodeScope,
  size: ShellSize,
  use: () => () => void,
): Promise<ShellChannel> {
  return new Promise((resolve, reject) => {
    client.shell({ term: size.term ?? 'xterm-256color', cols: size.cols, rows: size.rows }, (err, stream) => {
      if (err)
        return reject(
          scope.error('connectionLost', `Cannot open a shell on ${scope.where()}: ${err.message}`),
        );
      const done = use();
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        done();
      };
      stream.on('close', release);
      resolve({
        stream,
        resize: (cols, rows) => stream.setWindow(rows, cols, 0, 0),
        close: () => {
          stream.close();
          release();
        },
      });
    });
  });
}
