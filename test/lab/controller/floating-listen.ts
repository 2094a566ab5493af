// Opens a listening socket inside a node's network namespace for a LoadBalancer address (fakes/
// listen-floating.cjs binds it there and hands it over by IPC), as the API's listeners are opened.
import { spawn } from 'node:child_process';
import type net from 'node:net';

export function listenInNamespace(
  nodeBinary: string,
  helper: string,
  netns: string,
  address: string,
  port: number,
): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', netns, nodeBinary, helper, address, String(port)], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    let done = false;
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('message', (_message: unknown, handle: unknown) => {
      if (!handle) return;
      done = true;
      resolve(handle as net.Server);
      child.send({ done: true });
    });
    child.on('exit', (code) => {
      if (!done)
        reject(new Error(`listen helper for ${address}:${port} in ${netns} exited ${code}: ${stderr}`));
    });
  });
}
