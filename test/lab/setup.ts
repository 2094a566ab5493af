// Bring-up helpers: names and subnets checked, the lab user's identity on the nodes, the controller's
// bundle and the request channel to it.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import { isAlive } from './nodes';
import { waitFor } from './sys';

export const LAB_USER = 'gateway';

export function validName(name: string): string {
  if (!/^[a-z][a-z0-9]{0,9}$/.test(name)) {
    throw new Error(`lab name "${name}" must be 1-10 lowercase letters/digits (it prefixes interface names)`);
  }
  return name;
}

export function validPrefix(prefix: string): string {
  const octets = prefix.split('.').map(Number);
  if (octets.length !== 3 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) {
    throw new Error(`lab subnet prefix "${prefix}" must be three octets, e.g. 10.250.0`);
  }
  return prefix;
}

/** The lab user's uid: the host's if it has that user, else the first id from 2000 the host does not use. */
export function labUid(): number {
  const passwd = readFileSync('/etc/passwd', 'utf8');
  const group = readFileSync('/etc/group', 'utf8');
  const existing = passwd.split('\n').find((l) => l.startsWith(`${LAB_USER}:`));
  if (existing) return Number(existing.split(':')[2]);
  const used = new Set(
    passwd
      .split('\n')
      .concat(group.split('\n'))
      .map((l) => Number(l.split(':')[2])),
  );
  let uid = 2000;
  while (used.has(uid)) uid++;
  return uid;
}

/** The node's own passwd/shadow/group: the host's, plus the lab user with this lab's password. */
export function userEntries(
  uid: number,
  passwordHash: string,
): { passwd: string; shadow: string; group: string } {
  const passwd = readFileSync('/etc/passwd', 'utf8');
  const shadow = readFileSync('/etc/shadow', 'utf8');
  const group = readFileSync('/etc/group', 'utf8');
  const without = (text: string): string =>
    text
      .split('\n')
      .filter((l) => l && !l.startsWith(`${LAB_USER}:`))
      .join('\n') + '\n';
  return {
    passwd: without(passwd) + `${LAB_USER}:x:${uid}:${uid}:Gateway lab user:/home/${LAB_USER}:/bin/bash\n`,
    shadow: without(shadow) + `${LAB_USER}:${passwordHash}:19800:0:99999:7:::\n`,
    group: without(group) + `${LAB_USER}:x:${uid}:\n`,
  };
}

/** Sends one request to the controller and collects its answer. */
export function controllerRequest(socketPath: string, message: unknown, timeoutMs = 5000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    let buffer = '';
    let result: unknown;
    let error = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('lab controller did not answer'));
    }, timeoutMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const reply = JSON.parse(buffer.slice(0, newline)) as { result?: unknown; e?: string };
        buffer = buffer.slice(newline + 1);
        if ('result' in reply) result = reply.result;
        if (reply.e) error += reply.e;
      }
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      if (error) reject(new Error(error.trim()));
      else resolve(result);
    });
    socket.write(JSON.stringify(message) + '\n');
  });
}

export async function bundleController(dir: string): Promise<string> {
  const outfile = join(dir, 'controller.js');
  await build({
    entryPoints: [join(__dirname, 'controller', 'main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}

/** Starts the controller detached (it outlives `npm run lab -- up`) and waits until it answers `ping`. */
export async function startController(
  dir: string,
  controllerJs: string,
  configPath: string,
  ping: () => Promise<unknown>,
): Promise<number> {
  const out = openSync(join(dir, 'logs', 'controller.out'), 'a');
  const controller = spawn(process.execPath, [controllerJs, configPath], {
    detached: true,
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  controller.unref();
  const pid = controller.pid ?? 0;
  writeFileSync(join(dir, 'controller.pid'), String(pid));
  await waitFor(
    'the lab controller',
    async () => {
      if (!isAlive(pid)) throw new Error(`lab controller exited; see ${join(dir, 'logs')}`);
      return ping().then(
        () => true,
        () => false,
      );
    },
    15_000,
    10,
  );
  return pid;
}
