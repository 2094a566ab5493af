// Shared by the e2e runners: build what they run, results files, and failure output.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { REPO_ROOT } from '../../scripts/code-server';
import { lazyVendor, nativeOptional } from '../../scripts/vendor-entries/vendor-builds';

export interface Counts {
  passed: number;
  failed: number;
  pending: number;
  /** Failed tests, named in npm test's closing summary (CI shows only the tail of the output). */
  failures?: Array<{ title: string; error: string }>;
}

export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results');
export const HOST_TESTS_DIR = path.join(REPO_ROOT, 'out', 'host-tests');
/** Per-run bundles (under out/, so mocha resolves from node_modules), so parallel runs never share one. */
export const HOST_TEST_RUNS_DIR = path.join(REPO_ROOT, 'out', 'host-test-runs');
export const VSIX = path.join(REPO_ROOT, 'dist', 'gateway-cluster.vsix');

function newestMtime(paths: string[]): number {
  let newest = 0;
  for (const entry of paths) {
    const full = path.join(REPO_ROOT, entry);
    if (!fs.existsSync(full)) continue;
    const stat = fs.statSync(full);
    if (stat.isDirectory()) {
      newest = Math.max(newest, newestMtime(fs.readdirSync(full).map((name) => path.join(entry, name))));
    } else {
      newest = Math.max(newest, stat.mtimeMs);
    }
  }
  return newest;
}

const SOURCES = [
  'src',
  'webview',
  'media',
  'snippets',
  'schemas',
  'package.json',
  'scripts/build.ts',
  'scripts/vendor-entries',
  '.vscodeignore',
  'README.md',
];

/**
 * True when `output` is missing or older than any source of the extension.
 * GC_E2E_PREBUILT=1 trusts an existing output (when something else has just built it).
 */
function stale(output: string): boolean {
  const full = path.join(REPO_ROOT, output);
  if (!fs.existsSync(full)) return true;
  if (process.env.GC_E2E_PREBUILT === '1') return false;
  return fs.statSync(full).mtimeMs < newestMtime(SOURCES);
}

function npmRun(script: string): void {
  const started = Date.now();
  const result = spawnSync('npm', ['run', '--silent', script], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.status !== 0)
    throw new Error(`npm run ${script} failed (exit ${result.status ?? result.signal})`);
  console.log(`npm run ${script}: ${Date.now() - started} ms`);
}

/** dist/extension.js, rebuilt only when a source is newer (npm test builds right before the tiers). */
export function ensureBuilt(): void {
  if (stale('dist/extension.js')) npmRun('build');
}

/** dist/gateway-cluster.vsix, repackaged only when a source is newer; GC_VSIX names a ready-made one. */
export function ensurePackaged(): string {
  if (process.env.GC_VSIX) return path.resolve(process.env.GC_VSIX);
  if (stale(path.relative(REPO_ROOT, VSIX))) npmRun('package');
  return VSIX;
}

/**
 * dist/testing.js: the features with the tests' seams (test/e2e/seams), which the activation shell loads instead
 * of dist/features.js when GC_TEST_HOOKS=1. Never packaged (.vscodeignore lists what ships).
 */
export async function buildTestSeams(): Promise<void> {
  await esbuild.build({
    entryPoints: [path.join(REPO_ROOT, 'test', 'e2e', 'seams', 'test-features.ts')],
    outfile: path.join(REPO_ROOT, 'dist', 'testing.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', ...nativeOptional],
    plugins: [lazyVendor],
    logLevel: 'warning',
  });
}

/**
 * Bundles test/e2e/host (the mocha entry and each suite) to out/host-tests, so that the extension host
 * loads plain CommonJS: no tsx there. mocha, vscode and esbuild stay external (resolved from node_modules).
 */
export async function buildHostTests(outDir: string = HOST_TESTS_DIR): Promise<string> {
  const hostDir = path.join(REPO_ROOT, 'test', 'e2e', 'host');
  const entryPoints = fs
    .readdirSync(hostDir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name === 'index.ts' || name.endsWith('.test.ts'))
    .map((name) => path.join(hostDir, name));
  fs.rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outbase: hostDir,
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    // esbuild: the lab module (test/lab) imports it for `up`, which the runner does, not the suites.
    external: ['vscode', 'mocha', 'esbuild'],
    logLevel: 'warning',
  });
  return path.join(outDir, 'index.js');
}

/**
 * The lab the extension-host suites drive (test/e2e/host/tree.test.ts): its own name and /24, so it runs
 * beside a developer's demo lab and the integration tests' labs. The runner brings it up and down and tells
 * the suites its name in GC_E2E_LAB (or why it could not, in GC_E2E_LAB_ERROR: the suites then fail).
 */
/** Its Kubernetes timings at 1/100: a stopped node is NotReady after about 0.5 s, its pods move 3 s later. */
export const HOST_LAB = {
  name: 'gclabe2e',
  subnetPrefix: '10.250.5',
  nodes: 3,
  state: 'joined',
  timeScale: 0.01,
} as const;

export function writeCounts(counts: Counts, tier: string): void {
  const file = process.env.GC_RESULTS_FILE;
  if (file) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(counts));
  }
  console.log(`\n${tier}: ${counts.passed} passed, ${counts.failed} failed, ${counts.pending} pending`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
