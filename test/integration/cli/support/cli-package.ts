// The CLI as users get it: a built checkout (package.json, dist/cli.js and dist/vendor/, built the way
// `npm run build` builds them) packed with `npm pack` and installed into an empty folder with its runtime
// dependencies only, offline from the npm cache. Built once per test process: the lab tests run this copy.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { cliBuild } from '../../../../scripts/node-bundles';
import {
  vendorBuild,
  vendorEntries,
  type VendorModule,
} from '../../../../scripts/vendor-entries/vendor-builds';

const root = path.resolve(__dirname, '../../../..');

export interface CliPackage {
  /** The built checkout (what `npx gateway-cluster` runs from). */
  checkout: string;
  /** The packed tarball. */
  tarball: string;
  /** Files in the tarball, relative to the package. */
  files: string[];
  /** The folder it was installed into (node_modules/ holds it and its runtime dependencies). */
  installDir: string;
  /** The installed package's bin script (node_modules/gateway-cluster/dist/cli.js). */
  cli: string;
  /** node_modules/.bin/gateway-cluster, the link npm made. */
  binLink: string;
}

function run(command: string, args: string[], cwd: string): string {
  const r = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_loglevel: 'error' },
  });
  if (r.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

async function builtCheckout(dir: string): Promise<void> {
  for (const file of ['package.json', '.npmignore', 'README.md', 'CHANGELOG.md', 'LICENSE'])
    cpSync(path.join(root, file), path.join(dir, file));
  cpSync(path.join(root, 'schemas'), path.join(dir, 'schemas'), { recursive: true });
  mkdirSync(path.join(dir, 'docs'));
  for (const doc of ['cli.md', 'cluster-spec.md', 'operations.md'])
    cpSync(path.join(root, 'docs', doc), path.join(dir, 'docs', doc));
  await Promise.all([
    build(cliBuild(path.join(dir, 'dist', 'cli.js'))),
    ...(Object.keys(vendorEntries) as VendorModule[]).map((name) =>
      build({
        ...vendorBuild(name, path.join(dir, 'dist', 'vendor'), { minify: false, logLevel: 'error' }),
        absWorkingDir: root,
      }),
    ),
  ]);
}

export interface LockEntry {
  dev?: boolean;
  devOptional?: boolean;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** The peers npm installs with a package: those not marked optional. */
export function requiredPeers(entry: LockEntry): string[] {
  return Object.keys(entry.peerDependencies ?? {}).filter((p) => !entry.peerDependenciesMeta?.[p]?.optional);
}

/**
 * A lockfile for the install: the project's own entries for the runtime dependencies (and the peers npm
 * installs with them), so npm takes every tarball from its cache by integrity, with no registry lookup.
 */
function installLock(tarball: string): object {
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
  const spec = `file:${tarball}`;
  const packages: Record<string, unknown> = {
    '': { name: 'cli-install', version: '1.0.0', dependencies: { 'gateway-cluster': spec } },
    'node_modules/gateway-cluster': {
      version: pkg.version,
      resolved: spec,
      dependencies: pkg.dependencies,
      bin: pkg.bin,
    },
  };
  const entries = Object.entries(lock.packages).filter(([key]) => key.startsWith('node_modules/'));
  for (const [key, entry] of entries) {
    // devOptional: a dev dependency that is only an optional peer of a runtime one (typescript for valibot).
    if (entry.dev || entry.devOptional) continue;
    packages[key] = entry;
    for (const peer of requiredPeers(entry)) {
      const peerEntry = lock.packages[`node_modules/${peer}`];
      if (peerEntry) packages[`node_modules/${peer}`] = { ...peerEntry, dev: undefined };
    }
  }
  return { name: 'cli-install', version: '1.0.0', lockfileVersion: 3, requires: true, packages };
}

async function make(): Promise<CliPackage> {
  const base = mkdtempSync(path.join(tmpdir(), 'gc-cli-package-'));
  process.once('exit', () => rmSync(base, { recursive: true, force: true }));
  const checkout = path.join(base, 'checkout');
  const installDir = path.join(base, 'install');
  mkdirSync(checkout);
  mkdirSync(installDir);
  await builtCheckout(checkout);
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', base], checkout)) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  const tarball = path.join(base, packed[0]!.filename);
  writeFileSync(
    path.join(installDir, 'package.json'),
    JSON.stringify({
      name: 'cli-install',
      version: '1.0.0',
      private: true,
      dependencies: { 'gateway-cluster': `file:${tarball}` },
    }),
  );
  writeFileSync(path.join(installDir, 'package-lock.json'), JSON.stringify(installLock(tarball)));
  run('npm', ['ci', '--omit=dev', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], installDir);
  const cli = realpathSync(path.join(installDir, 'node_modules', 'gateway-cluster', 'dist', 'cli.js'));
  return {
    checkout,
    tarball,
    files: packed[0]!.files.map((f) => f.path).sort(),
    installDir,
    cli,
    binLink: path.join(installDir, 'node_modules', '.bin', 'gateway-cluster'),
  };
}

let made: Promise<CliPackage> | undefined;

/** The packed and installed CLI (made on first call, then shared by the test files of this process). */
export function cliPackage(): Promise<CliPackage> {
  return (made ??= make());
}
