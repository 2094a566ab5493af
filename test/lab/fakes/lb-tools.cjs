#!/usr/bin/env node
// The load-balanced lab's stand-ins, each run inside a node's namespaces: `rpm` (installs the lab's stand-in
// packages), the gateway's `setupGateway.sh` and the agent's `setup.sh` (read the response file, check the
// install key, print seed 003's output), and `systemctl` for haproxy (the real Debian binary, started and
// reloaded as Debian's unit does), mgmt_gateway (gateway-service.cjs) and mgmt_agent. State is node-local:
// /var/lib/gc-lab and /opt are the node's own folders. What the real tools would print where the seed is
// silent is a guess, listed in test/lab/README.md.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawn, spawnSync } = require('node:child_process');
const seed = require('./seed-output.cjs');

/** This script's own path: setupGateway.sh and setup.sh call back into it. */
const SELF = process.argv[1];
const tool = process.argv[2];
const argv = process.argv.slice(3);
const STATE = '/var/lib/gc-lab';
const node = JSON.parse(fs.readFileSync('/etc/gc-lab/node.json', 'utf8'));
const isRoot = process.getuid() === 0;
const sleepMs = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const out = (text) => fs.writeSync(1, text);
const err = (text) => fs.writeSync(2, text);
const sha256 = (text) => crypto.createHash('sha256').update(text).digest('hex');
const readJson = (file) => {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
};
const writeJson = (file, value) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 1) + '\n');
};

const PACKAGES = {
  'oracle.mgmt_gateway': { version: '230207.1529-1', rpmOutput: seed.GATEWAY_RPM, setup: 'setupGateway.sh' },
  'oracle.mgmt_agent': { version: '230207.1529-1', rpmOutput: seed.AGENT_RPM, setup: 'setup.sh' },
};
const BIN = '/opt/oracle/mgmt_agent/agent_inst/bin';
const installed = (name) => readJson(`${STATE}/rpm/${name}.json`);

function rpm() {
  const query = argv.indexOf('-q');
  if (query >= 0) {
    const name = argv[query + 1];
    const pkg = PACKAGES[name];
    if (pkg && installed(name)) return (out(`${name}-${pkg.version}.x86_64\n`), 0);
    return (out(`package ${name} is not installed\n`), 1);
  }
  if (argv[0] === '-e') {
    if (!isRoot)
      return (err("error: can't create transaction lock on /var/lib/rpm/.rpm.lock (Permission denied)\n"), 1);
    const name = argv[1];
    if (!installed(name)) return (err(`error: package ${name} is not installed\n`), 1);
    service(name === 'oracle.mgmt_agent' ? 'mgmt_agent' : 'mgmt_gateway', 'stop');
    fs.rmSync(`${STATE}/rpm/${name}.json`, { force: true });
    fs.rmSync(name === 'oracle.mgmt_agent' ? `${STATE}/agent.json` : `${STATE}/gateway.json`, {
      force: true,
    });
    fs.rmSync(`${BIN}/${PACKAGES[name].setup}`, { force: true });
    return 0;
  }
  if (!/^-[iU]vh$/.test(argv[0] ?? '') || argv.length !== 2)
    return (err('rpm: the lab knows -ivh FILE, -q NAME, -e NAME\n'), 1);
  if (!isRoot)
    return (err("error: can't create transaction lock on /var/lib/rpm/.rpm.lock (Permission denied)\n"), 1);
  let manifest;
  try {
    manifest = fs.readFileSync(argv[1], 'utf8');
  } catch {
    return (err(`error: open of ${argv[1]} failed: No such file or directory\n`), 1);
  }
  const name = /^name=(.*)$/m.exec(manifest)?.[1];
  const pkg = PACKAGES[name];
  if (!manifest.startsWith('GC-LAB-PACKAGE\n') || !pkg)
    return (err(`error: ${argv[1]}: not an rpm package (or package manifest)\n`), 1);
  if (installed(name)) return (out(`\tpackage ${name}-${pkg.version}.x86_64 is already installed\n`), 1);
  for (const line of pkg.rpmOutput.split('\n')) {
    out(line + '\n');
    sleepMs(5);
  }
  fs.mkdirSync(BIN, { recursive: true });
  fs.writeFileSync(`${BIN}/${pkg.setup}`, `#!/bin/sh\nexec ${process.execPath} ${SELF} ${pkg.setup} "$@"\n`, {
    mode: 0o755,
  });
  writeJson(`${STATE}/rpm/${name}.json`, { version: pkg.version, installedAt: Date.now() });
  return 0;
}

/** `Key = value` lines, as the seed writes them (blanks around `=` allowed). */
function readResponseFile(file) {
  const entries = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const match = /^\s*([A-Za-z]+)\s*=\s?(.*?)\s*$/.exec(line);
    if (match) entries[match[1]] = match[2];
  }
  return entries;
}

function setup(kind) {
  if (!isRoot) return (err('This script must be run as root or with sudo privileges.\n'), 1);
  const file = /^opts=(.+)$/.exec(argv[0] ?? '')?.[1];
  if (!file || !fs.existsSync(file))
    return (err(`Input response file ${file ?? '(none)'} does not exist.\n`), 1);
  const mode = (fs.statSync(file).mode & 0o777).toString(8);
  const rsp = readResponseFile(file);
  const gateway = kind === 'gateway';
  const statePath = `${STATE}/${kind}.json`;
  if (readJson(statePath))
    return (err(`The ${kind} is already configured; uninstall it (rpm -e) to configure it again.\n`), 1);
  out(gateway ? seed.GATEWAY_SETUP_START : seed.AGENT_SETUP_START);
  const required = gateway
    ? ['ManagementAgentInstallKey', 'FreeFormTags', 'GatewayUsername', 'GatewayPassword']
    : [
        'ManagementAgentInstallKey',
        'GatewayServerHost',
        'GatewayServerPort',
        'GatewayServerUser',
        'GatewayServerPassword',
      ];
  const missing = required.filter((key) => !rsp[key]);
  if (missing.length)
    return (err(`        Missing parameter(s) in the response file: ${missing.join(', ')}\n`), 1);
  if (
    sha256(rsp.ManagementAgentInstallKey) !== fs.readFileSync('/etc/gc-lab/install-key.sha256', 'utf8').trim()
  )
    return (err('        Install key is invalid or expired.\n'), 1);
  const record = { responseFileMode: mode, configuredAt: Date.now() };
  if (gateway) {
    const group = /"GatewayGroup"\s*:\s*"([^"]*)"/.exec(rsp.FreeFormTags)?.[1];
    if (!group)
      return (
        err('        FreeFormTags must hold a GatewayGroup tag to install a gateway in a cluster.\n'),
        1
      );
    Object.assign(record, { group, user: rsp.GatewayUsername, passwordSha256: sha256(rsp.GatewayPassword) });
  } else {
    const reached = probe(rsp.GatewayServerHost, Number(rsp.GatewayServerPort));
    if (!reached)
      return (
        err(`        Could not reach the gateway at ${rsp.GatewayServerHost}:${rsp.GatewayServerPort}.\n`),
        1
      );
    const expected = fs.readFileSync('/etc/gc-lab/gateway-password.sha256', 'utf8').trim();
    if (sha256(rsp.GatewayServerPassword) !== expected)
      return (err('        Gateway credentials are invalid.\n'), 1);
    Object.assign(record, {
      gatewayHost: rsp.GatewayServerHost,
      gatewayPort: Number(rsp.GatewayServerPort),
      user: rsp.GatewayServerUser,
      reachedGateway: reached,
    });
  }
  const rest = (gateway ? seed.GATEWAY_SETUP_REST : seed.AGENT_SETUP_REST).replace('FILE', file);
  writeJson(statePath, record);
  for (const line of rest.split('\n')) {
    if (line === 'Starting gateway...' || line === 'Starting agent...') {
      const status = service(gateway ? 'mgmt_gateway' : 'mgmt_agent', 'start');
      if (status !== 0) return status;
    }
    if (line) out(line + '\n');
    if (line.startsWith('Waiting')) sleepMs(100);
  }
  return 0;
}

/** What the agent's setup does to reach its gateway: a TLS request through the given host and port. */
function probe(host, port) {
  const script = `const s=require('tls').connect({host:${JSON.stringify(host)},port:${port},rejectUnauthorized:false},()=>s.write('GET / HTTP/1.0\\r\\n\\r\\n'));let b='';s.on('data',d=>b+=d);s.on('end',()=>{process.stdout.write((/gateway (\\S+)/.exec(b)||[])[1]||'');});s.on('error',()=>{});setTimeout(()=>process.exit(0),3000).unref();`;
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 5000 });
  return result.stdout.trim() || undefined;
}

const UNITS = ['haproxy', 'mgmt_gateway', 'mgmt_agent'];
const pidFile = (unit) => (unit === 'haproxy' ? '/run/haproxy/haproxy.pid' : `${STATE}/run/${unit}.pid`);
/** Whether `pid` runs (a zombie does not); a non-root caller may see root's processes without signalling them. */
const alive = (pid) => {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};
const mainPid = (unit) => {
  const pid = Number(
    (() => {
      try {
        return fs.readFileSync(pidFile(unit), 'utf8').trim();
      } catch {
        return '0';
      }
    })(),
  );
  return pid > 0 && alive(pid) ? pid : undefined;
};
const jobFailed = (unit) => {
  err(
    `Job for ${unit}.service failed because the control process exited with error code.\nSee "systemctl status ${unit}.service" and "journalctl -xeu ${unit}.service" for details.\n`,
  );
  return 1;
};

function haproxyArgs(extra) {
  return ['-Ws', '-f', '/etc/haproxy/haproxy.cfg', ...extra, '-S', '/run/haproxy/master.sock'];
}

function start(unit) {
  if (mainPid(unit)) return 0;
  fs.mkdirSync(path.dirname(pidFile(unit)), { recursive: true });
  fs.rmSync(pidFile(unit), { force: true });
  const log = fs.openSync(`/var/log/${unit}.log`, 'a');
  let child;
  if (unit === 'haproxy') {
    const check = spawnSync('/usr/sbin/haproxy', haproxyArgs(['-c', '-q']), { encoding: 'utf8' });
    if (check.status !== 0) return (fs.writeSync(log, check.stderr), jobFailed(unit));
    child = spawn('/usr/sbin/haproxy', haproxyArgs(['-p', pidFile(unit)]), {
      detached: true,
      stdio: ['ignore', log, log],
    });
  } else if (unit === 'mgmt_gateway') {
    if (!readJson(`${STATE}/gateway.json`)) return jobFailed(unit);
    const service = path.join(path.dirname(SELF), 'gateway-service.cjs');
    const args = [
      service,
      '/etc/gc-lab/gateway.crt',
      '/etc/gc-lab/gateway.key',
      String(node.gatewayPort),
      node.hostname,
    ];
    child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', log, log] });
    fs.writeFileSync(pidFile(unit), String(child.pid));
  } else {
    child = spawn('sleep', ['infinity'], { detached: true, stdio: 'ignore' });
    fs.writeFileSync(pidFile(unit), String(child.pid));
  }
  child.unref();
  for (let waited = 0; waited < 5000; waited += 20) {
    if (!alive(child.pid)) return jobFailed(unit);
    if (mainPid(unit) && (unit === 'mgmt_agent' || listening(unit))) return 0;
    sleepMs(20);
  }
  return jobFailed(unit);
}

/** Whether the unit's socket is there: haproxy's master socket, the gateway's port (in /proc/net/tcp). */
function listening(unit) {
  if (unit === 'haproxy') return fs.existsSync('/run/haproxy/master.sock');
  const port = Number(node.gatewayPort).toString(16).toUpperCase().padStart(4, '0');
  return fs
    .readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .some((l) => l.includes(`:${port} `) && l.includes(' 0A '));
}

function stop(unit) {
  const pid = mainPid(unit);
  if (!pid) return 0;
  process.kill(pid, 'SIGTERM');
  for (let waited = 0; waited < 5000 && alive(pid); waited += 20) sleepMs(20);
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  fs.rmSync(pidFile(unit), { force: true });
  return 0;
}

/** Debian's ExecReload: check the file (`-c -q`), then SIGUSR2 to the master; new workers take the sockets. */
function reload(unit) {
  const pid = mainPid(unit);
  if (!pid) return (err(`${unit}.service is not active, cannot reload.\n`), 1);
  if (unit !== 'haproxy') return (process.kill(pid, 'SIGHUP'), 0);
  const check = spawnSync('/usr/sbin/haproxy', haproxyArgs(['-c', '-q']), { encoding: 'utf8' });
  if (check.status !== 0) {
    fs.appendFileSync('/var/log/haproxy.log', check.stderr);
    return jobFailed(unit);
  }
  process.kill(pid, 'SIGUSR2');
  return 0;
}

function service(unit, verb) {
  switch (verb) {
    case 'start':
      return start(unit);
    case 'stop':
      return stop(unit);
    case 'restart':
      return stop(unit) || start(unit);
    case 'reload':
      return reload(unit);
    case 'is-active': {
      const active = mainPid(unit) !== undefined;
      out(active ? 'active\n' : 'inactive\n');
      return active ? 0 : 3;
    }
    case 'status': {
      const pid = mainPid(unit);
      out(
        `● ${unit}.service\n     Active: ${pid ? `active (running)\n   Main PID: ${pid}` : 'inactive (dead)'}\n`,
      );
      return pid ? 0 : 3;
    }
    default:
      return (err(`Unknown command verb ${verb}.\n`), 1);
  }
}

function systemctl() {
  const args = argv.filter((a) => !a.startsWith('-'));
  const quiet = argv.includes('--quiet') || argv.includes('-q');
  const [verb, unitArg] = args;
  const unit = (unitArg ?? '').replace(/\.service$/, '');
  if (!UNITS.includes(unit))
    return (err(`Unit ${unit}.service could not be found.\n`), verb === 'is-active' ? 4 : 5);
  if (['start', 'stop', 'restart', 'reload'].includes(verb) && !isRoot)
    return (err(`Failed to ${verb} ${unit}.service: Access denied\n`), 4);
  if (quiet && (verb === 'is-active' || verb === 'status')) return mainPid(unit) ? 0 : 3;
  return service(unit, verb);
}

const tools = { rpm, systemctl, 'setupGateway.sh': () => setup('gateway'), 'setup.sh': () => setup('agent') };
if (!tools[tool]) {
  err(`lb-tools: unknown tool ${tool}\n`);
  process.exit(2);
}
process.exitCode = tools[tool]();
