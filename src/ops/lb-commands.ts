// The remote commands of the load-balanced operations (seed 003), in one place: the gateways' and agents'
// package and setup, the load balancer's haproxy (check, install beside the running file, reload, roll back),
// its runtime API, and the drill's service stop/start and client. Spec values enter scripts through
// shellQuote only; secrets never: response files and haproxy.cfg arrive on stdin.
import { joinArgv, shellQuote } from '../encode/shell';
import { CHECK_MARK, factsScript } from './node-commands';
import type { NodeCommand } from './ports';
import {
  AGENT_PACKAGE,
  AGENT_SERVICE,
  APPLIED_FILE,
  GATEWAY_PACKAGE,
  GATEWAY_SERVICE,
  RESPONSE_FILE,
  STATE_DIR,
} from './plans/gateway-files';

export { CHECK_MARK };
const argv = (...words: string[]): NodeCommand => ({ argv: words });
const q = shellQuote;

export type Role = 'gateway' | 'agent';
const PACKAGE: Record<Role, string> = { gateway: GATEWAY_PACKAGE, agent: AGENT_PACKAGE };
const SERVICE: Record<Role, string> = { gateway: GATEWAY_SERVICE, agent: AGENT_SERVICE };

/** Where configure-lb keeps the new and the previous configuration: beside the running one. */
export function configFiles(configPath: string): { next: string; previous: string } {
  return { next: `${configPath}.gc-new`, previous: `${configPath}.gc-previous` };
}

export const lbCmd = {
  /** Is the package installed, does its service run, what did the product apply (one SSH command). */
  hostFacts: (role: Role): NodeCommand =>
    factsScript([
      ['rpm', argv('rpm', '-q', PACKAGE[role])],
      ['active', argv('systemctl', 'is-active', SERVICE[role])],
      ['applied', argv('cat', APPLIED_FILE[role])],
    ]),
  /** A private folder for an upload (the package), printed on stdout. */
  makeUploadDir: (): NodeCommand => argv('mktemp', '-d', '/tmp/gateway-cluster.XXXXXX'),
  removeUploadDir: (dir: string): NodeCommand => argv('rm', '-rf', dir),
  installPackage: (file: string): NodeCommand => argv('rpm', '-ivh', file),
  /** The response file arrives on stdin and is written 0600 into the product's root-owned folder. */
  writeResponseFile: (role: Role): NodeCommand => ({
    script: `umask 077 && mkdir -p ${q(STATE_DIR)} && chmod 755 ${q(STATE_DIR)} && cat > ${q(RESPONSE_FILE[role])}`,
  }),
  setup: (script: string, role: Role): NodeCommand => argv(script, `opts=${RESPONSE_FILE[role]}`),
  removeResponseFile: (role: Role): NodeCommand => argv('rm', '-f', RESPONSE_FILE[role]),
  /** What the operation applied (no secret in it) arrives on stdin; world-readable, like a config file. */
  writeApplied: (role: Role): NodeCommand => ({
    script: `umask 022 && mkdir -p ${q(STATE_DIR)} && cat > ${q(APPLIED_FILE[role])}`,
  }),
  /**
   * GET PATH over TLS on the gateway itself until it answers 200 (the setup starts the service; it may take
   * a while): `openssl s_client`, present wherever the gateway runs.
   */
  healthProbe: (port: number, path: string, serverName: string, attempts: number): NodeCommand => ({
    script: [
      'i=0',
      'while :; do',
      `  out=$(printf 'GET %s HTTP/1.0\\r\\nHost: %s\\r\\n\\r\\n' ${q(path)} ${q(serverName)} | timeout 5 openssl s_client -quiet -connect ${q(`127.0.0.1:${port}`)} -servername ${q(serverName)} 2>/dev/null | head -n 1)`,
      `  case "$out" in 'HTTP/1.'[01]' 200'*) echo "$out"; exit 0;; esac`,
      `  i=$((i+1)); if [ "$i" -ge ${attempts} ]; then echo "no 200 from ${port}: \${out:-no answer}"; exit 1; fi`,
      '  sleep 1',
      'done',
    ].join('\n'),
  }),
  serviceActive: (role: Role): NodeCommand => argv('systemctl', 'is-active', SERVICE[role]),
  serviceStop: (role: Role): NodeCommand => argv('systemctl', 'stop', SERVICE[role]),
  serviceStart: (role: Role): NodeCommand => argv('systemctl', 'start', SERVICE[role]),

  /** The load balancer host: haproxy's version, socat, whether haproxy runs, and the running file. */
  lbFacts: (configPath: string): NodeCommand =>
    factsScript([
      // haproxy lives in /usr/sbin, outside a login user's PATH on Debian.
      ['version', { script: 'PATH="$PATH:/usr/sbin:/sbin" haproxy -v | head -n 1' }],
      ['socat', argv('sh', '-c', 'command -v socat')],
      ['active', argv('systemctl', 'is-active', 'haproxy')],
      ['config', argv('cat', configPath)],
    ]),
  /** The new file arrives on stdin, beside the running one. */
  writeNextConfig: (configPath: string): NodeCommand => ({
    script: `umask 022 && cat > ${q(configFiles(configPath).next)}`,
  }),
  checkConfig: (file: string): NodeCommand => argv('haproxy', '-c', '-f', file),
  removeNextConfig: (configPath: string): NodeCommand => argv('rm', '-f', configFiles(configPath).next),
  /**
   * Keeps the running file as `.gc-previous` and puts the checked one in its place (same folder: atomic);
   * prints `installed`, or `kept` when there is no new file (the running one is the spec's already).
   */
  installConfig: (configPath: string): NodeCommand => {
    const { next, previous } = configFiles(configPath);
    return {
      script: [
        'set -e',
        `if [ -f ${q(next)} ]; then`,
        `  if [ -f ${q(configPath)} ]; then cp -p ${q(configPath)} ${q(previous)}; fi`,
        `  mv ${q(next)} ${q(configPath)}; echo installed`,
        'else echo kept; fi',
      ].join('\n'),
    };
  },
  /** The kept file back in place (configure-lb's roll back). */
  restoreConfig: (configPath: string): NodeCommand => {
    const { previous } = configFiles(configPath);
    return { script: `set -e\ncp -p ${q(previous)} ${q(configPath)}` };
  },
  /**
   * Reload in master-worker mode: `systemctl reload haproxy` where systemd runs it (Debian's unit checks the
   * file, then sends SIGUSR2 to the master); else SIGUSR2 to the master in Debian's pid file; a haproxy that
   * does not run is started.
   */
  reload: (): NodeCommand => ({
    script: [
      'if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet haproxy; then systemctl reload haproxy',
      'elif [ -s /run/haproxy.pid ] && kill -0 "$(cat /run/haproxy.pid)" 2>/dev/null; then kill -USR2 "$(cat /run/haproxy.pid)"',
      'else systemctl start haproxy',
      'fi',
    ].join('\n'),
  }),
  /**
   * The drill's client on the load balancer host: TLS handshakes through the frontend until `seconds` pass,
   * one line each: `<ms since the epoch> ok|fail`.
   */
  clientLoop: (address: string, port: number, seconds: number): NodeCommand => ({
    script: [
      `end=$(( $(date +%s) + ${Math.max(1, Math.round(seconds))} ))`,
      'while [ "$(date +%s)" -lt "$end" ]; do',
      `  if timeout 5 openssl s_client -connect ${q(`${address}:${port}`)} </dev/null >/dev/null 2>&1; then r=ok; else r=fail; fi`,
      '  echo "$(date +%s%3N) $r"',
      'done',
    ].join('\n'),
  }),
};

/** The facts script's `rpm -q` says installed. */
export function isInstalled(rpm: { code: number; output: string } | undefined): boolean {
  return rpm?.code === 0;
}

export function showArgv(command: NodeCommand): string {
  return 'argv' in command ? joinArgv(command.argv) : command.script;
}
