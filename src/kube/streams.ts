// Exec into a container and port-forward to a pod through the API's WebSocket subprotocols, with the client
// library's Exec and PortForward over this project's transport (credentials on each request). Never kubectl.
import * as net from 'node:net';
import { PassThrough } from 'node:stream';
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import type { KubeClient } from './client';

export interface ExecOptions {
  namespace: string;
  pod: string;
  container: string;
  command: string[];
  /** Initial terminal size; later sizes through resize(). */
  size?: { cols: number; rows: number };
  onOutput(data: string): void;
  /** The command ended: its exit code (0 on success) and the API's message for a failure. */
  onExit(result: { code: number; message?: string }): void;
}

export interface ExecSession {
  write(data: string): void;
  resize(cols: number, rows: number): void;
  close(): void;
}

/** A Status from the exec error channel: the exit code it reports (126/127 when the program is missing). */
export function exitOf(status: K8s.V1Status | undefined): { code: number; message?: string } {
  if (!status || status.status === 'Success') return { code: 0 };
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  if (cause?.message && /^\d+$/.test(cause.message))
    return { code: Number(cause.message), message: status.message };
  const message = status.message ?? 'exec failed';
  return { code: /executable file not found|no such file or directory/i.test(message) ? 127 : 1, message };
}

/** An interactive command in a container with a terminal (stdin, stdout, resize). */
export async function execInContainer(client: KubeClient, options: ExecOptions): Promise<ExecSession> {
  const stdin = new PassThrough();
  // The library sizes the terminal from a stream with rows, columns and 'resize' events.
  const stdout = Object.assign(new PassThrough(), {
    columns: options.size?.cols ?? 80,
    rows: options.size?.rows ?? 24,
  });
  stdout.on('data', (chunk: Buffer) => options.onOutput(chunk.toString('utf8')));
  let exited = false;
  const exit = (result: { code: number; message?: string }) => {
    if (exited) return;
    exited = true;
    options.onExit(result);
  };
  const exec = new client.k8s.Exec(client.transport.webSocketConfig());
  const ws = await exec.exec(
    options.namespace,
    options.pod,
    options.container,
    options.command,
    stdout,
    null,
    stdin,
    true,
    (status) => exit(exitOf(status)),
  );
  ws.on('close', () => exit({ code: 0 }));
  return {
    write: (data) => stdin.write(data),
    resize: (cols, rows) => {
      stdout.columns = cols;
      stdout.rows = rows;
      stdout.emit('resize');
    },
    close: () => {
      stdin.end();
      ws.close();
    },
  };
}

/** Runs a command without a terminal and collects its output (for checks and tests). */
export async function execCollect(
  client: KubeClient,
  target: { namespace: string; pod: string; container: string },
  command: string[],
): Promise<{ code: number; stdout: string; stderr: string; message?: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
  const exec = new client.k8s.Exec(client.transport.webSocketConfig());
  return new Promise((resolve, reject) => {
    exec
      .exec(target.namespace, target.pod, target.container, command, stdout, stderr, null, false, (status) =>
        resolve({ ...exitOf(status), stdout: out, stderr: err }),
      )
      .then((ws) => ws.on('close', () => resolve({ code: 0, stdout: out, stderr: err })), reject);
  });
}

export interface PortForwardOptions {
  namespace: string;
  pod: string;
  port: number;
  /** Local port (0: any free one). Always bound to 127.0.0.1. */
  localPort?: number;
  onError?(message: string): void;
}

export interface PortForwardHandle {
  readonly localAddress: string;
  readonly localPort: number;
  /** TCP connections open now. */
  readonly connections: number;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 and forwards each accepted connection to the pod's port through its own WebSocket
 * (the port-forward subprotocol; data on channel 0, the API's errors on channel 1).
 */
export async function forwardPort(
  client: KubeClient,
  options: PortForwardOptions,
): Promise<PortForwardHandle> {
  const forward = new client.k8s.PortForward(client.transport.webSocketConfig(), false);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const errors = new PassThrough();
    errors.on('data', (d: Buffer) => {
      options.onError?.(d.toString('utf8'));
      socket.destroy();
    });
    forward.portForward(options.namespace, options.pod, [options.port], socket, errors, socket).then(
      (ws) => {
        const webSocket = ws as { on(event: string, listener: () => void): void; close(): void };
        webSocket.on('close', () => socket.end());
        socket.on('close', () => webSocket.close());
      },
      (error: unknown) => {
        options.onError?.(error instanceof Error ? error.message : String(error));
        socket.destroy();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.localPort ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address() as net.AddressInfo;
  return {
    localAddress: '127.0.0.1',
    localPort: address.port,
    get connections() {
      return sockets.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
