// Reads the host key an SSH server presents without trusting it: the handshake stops at the key (the
// verifier says no), so nothing is authenticated or sent. replace-node uses it to tell a swapped VM.
import * as net from 'node:net';
import { Client } from 'ssh2';
import { preferredHostKeyAlgorithms } from './host-key';

export interface ProbeTarget {
  address: string;
  port: number;
  /** Key types on record for the host: asked for first, so the server shows the key we can compare. */
  knownKeyTypes: string[];
}

/** The server's host key blob; rejects when nothing answers within `timeoutMs` or on cancel. */
export function probeHostKey(target: ProbeTarget, timeoutMs: number, signal?: AbortSignal): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const client = new Client();
    const sock = net.connect({ host: target.address, port: target.port });
    sock.setNoDelay(true);
    let settled = false;
    const finish = (error: Error | undefined, key?: Buffer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      client.removeAllListeners('ready');
      client.on('error', () => undefined);
      client.end();
      sock.destroy();
      if (key) resolve(key);
      else reject(error ?? new Error('no host key'));
    };
    const onAbort = () => finish(new Error(`Cancelled while reading the host key of ${target.address}`));
    const timer = setTimeout(
      () => finish(new Error(`No SSH answer from ${target.address}:${target.port} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    sock.once('error', (error) =>
      finish(new Error(`Cannot connect to ${target.address}:${target.port}: ${error.message}`)),
    );
    sock.once('connect', () => {
      client.on('error', (error) =>
        finish(new Error(`SSH handshake with ${target.address} failed: ${error.message}`)),
      );
      client.connect({
        sock,
        username: 'probe',
        readyTimeout: timeoutMs,
        algorithms: { serverHostKey: preferredHostKeyAlgorithms(target.knownKeyTypes) as never },
        hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
          finish(undefined, Buffer.from(key));
          verify(false);
        },
      });
    });
  });
}
