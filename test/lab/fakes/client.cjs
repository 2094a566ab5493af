#!/usr/bin/env node
// The lab's fake `microk8s` / `hostnamectl`: forwards argv (and stdin when asked) to the lab controller
// over its Unix socket and prints the answer. Plain JS for a fast start. Node identity comes from the
// node's own /etc (it survives sudo's environment reset).
'use strict';
const net = require('node:net');
const fs = require('node:fs');
const { execFileSync, spawn } = require('node:child_process');

const tool = process.argv[2];
const argv = process.argv.slice(3);

function fail(message) {
  process.stderr.write(message + '\n');
  process.exit(1);
}

let identity;
try {
  identity = JSON.parse(fs.readFileSync('/etc/gc-lab/node.json', 'utf8'));
} catch {
  fail(`${tool}: not on a lab node (no /etc/gc-lab/node.json)`);
}

const uid = process.getuid();

// hostnamectl's local effects happen here, inside the node's UTS and mount namespaces.
if (tool === 'hostnamectl') {
  const positional = argv.filter((a) => !a.startsWith('--'));
  const name = positional[0] === 'set-hostname' || positional[0] === 'hostname' ? positional[1] : undefined;
  if (name !== undefined && uid === 0 && /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/.test(name)) {
    try {
      execFileSync('hostname', [name.toLowerCase()]);
      fs.writeFileSync('/etc/hostname', name.toLowerCase() + '\n');
    } catch (error) {
      fail(`Could not set static hostname: ${error.message}`);
    }
  }
}

function probe(target) {
  // `join` reaches the cluster agent over the node's own network, so a cut link fails as it would.
  return new Promise((resolve) => {
    const m = /^([\d.]+):(\d+)\//.exec(target || '');
    if (!m) return resolve(true);
    const socket = net.connect({ host: m[1], port: Number(m[2]) });
    const timer = setTimeout(() => done(false), 3000);
    function done(ok) {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    }
    socket.on('data', () => done(true));
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
  });
}

async function main() {
  if (tool === 'microk8s' && argv[0] === 'join') {
    const target = argv.slice(1).find((a) => !a.startsWith('-'));
    if (!(await probe(target))) {
      process.stdout.write(`Contacting cluster at ${(target || '').split(':')[0]}\n`);
      fail(`Connection failed. The cluster at ${(target || '').split('/')[0]} could not be reached.`);
    }
  }
  const socket = net.connect(identity.socket);
  let buffer = '';
  let exitCode = null;
  let handOver = null;
  socket.setEncoding('utf8');
  socket.on('error', (error) => fail(`${tool}: lab controller unavailable (${error.code || error.message})`));
  socket.on('data', (chunk) => {
    buffer += chunk;
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const message = JSON.parse(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
      if (message.o) process.stdout.write(message.o);
      if (message.e) process.stderr.write(message.e);
      if (message.stdin) {
        process.stdin.setEncoding('utf8');
        process.stdin.on('data', (data) => socket.write(JSON.stringify({ stdin: data }) + '\n'));
        process.stdin.on('end', () => socket.write(JSON.stringify({ stdinEnd: true }) + '\n'));
        process.stdin.on('error', () => socket.write(JSON.stringify({ stdinEnd: true }) + '\n'));
      }
      if (typeof message.x === 'number') exitCode = message.x;
      if (message.run) handOver = message.run;
    }
  });
  socket.on('close', () => {
    if (handOver) return runProgram(handOver);
    const code = exitCode === null ? 1 : exitCode;
    if (process.stdout.writableLength === 0) process.exit(code);
    else process.stdout.end(() => process.exit(code));
  });
  socket.write(
    JSON.stringify({
      type: 'exec',
      tool,
      node: identity.node,
      argv,
      uid,
      stdinIsTty: Boolean(process.stdin.isTTY),
    }) + '\n',
  );
  // When the session that ran us goes away (channel closed, sshd killed), stop waiting.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.exit(129);
  }, 500).unref();
}

// The controller handed the call over (`microk8s kubectl`): run the program here, on the node, with our stdio.
function runProgram(run) {
  const child = spawn(run.file, run.args, { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => fail(`${tool}: ${error.message}`));
  child.on('exit', (code, signal) =>
    process.exit(code === null ? 128 + (signal === 'SIGKILL' ? 9 : 15) : code),
  );
}

main();
