// Plain ssh2 access to a lab node for the lab's own tests: they check the lab, so they bypass src/remote.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Client } from 'ssh2';
import type { LabInfo } from '../../lab/index';

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Connects to node `index` (1-based), accepting only the host key the lab reports for it. */
export function connect(info: LabInfo, index: number, auth: 'key' | 'password' = 'key'): Promise<Client> {
  const node = info.nodes[index - 1];
  assert.ok(node);
  const expected = Buffer.from(node.hostPublicKey.split(' ')[1] ?? '', 'base64');
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.on('ready', () => resolve(client)).on('error', reject);
    client.connect({
      host: node.address,
      port: node.sshPort,
      username: info.user,
      ...(auth === 'key' ? { privateKey: readFileSync(info.clientKeyPath) } : { password: info.password }),
      hostVerifier: (key: Buffer) => key.equals(expected),
      readyTimeout: 5000,
    });
  });
}

/** Runs `command`, writes `stdin` (if any) and closes it, and collects the output and exit code. */
export function exec(client: Client, command: string, stdin?: string): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, channel) => {
      if (error) return reject(error);
      let stdout = '';
      let stderr = '';
      channel.on('data', (d: Buffer) => (stdout += d.toString()));
      channel.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      channel.on('close', (code: number | null) => resolve({ code: code ?? -1, stdout, stderr }));
      channel.end(stdin);
    });
  });
}
