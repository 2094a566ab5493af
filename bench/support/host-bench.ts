// Shared by the benchmarks that run inside code-server's extension host: bundling the in-host script and
// one run of it against the built extension.
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { REPO_ROOT, runExtensionTests } from '../../scripts/code-server';
import type { Tools } from '../../scripts/ensure-tools';

/** Bundles `entry` for the extension host: CommonJS for Node 20, with `vscode` (and `external`) left to it. */
export async function bundleForHost(entry: string, outfile: string, external: string[] = []): Promise<void> {
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', ...external],
    logLevel: 'warning',
  });
}

/** Bundles bench/<name>/host-bench.ts into a fresh out/<name>-bench/index.js; returns that folder. */
export async function buildHostBench(name: string, external: string[] = []): Promise<string> {
  const outDir = path.join(REPO_ROOT, 'out', `${name}-bench`);
  fs.rmSync(outDir, { recursive: true, force: true });
  await bundleForHost(
    path.join(REPO_ROOT, 'bench', name, 'host-bench.ts'),
    path.join(outDir, 'index.js'),
    external,
  );
  return outDir;
}

/** Runs the bundle built by buildHostBench in one extension host, streaming its progress; its results. */
export async function runHostBench<T>(
  tools: Tools,
  outDir: string,
  workspace: string,
  options: { timeoutMs: number; env?: Record<string, string> },
): Promise<{ failed: number; results: T }> {
  const text = await runExtensionTests(tools, {
    extensionDevelopmentPath: REPO_ROOT,
    extensionTestsPath: path.join(outDir, 'index.js'),
    workspace,
    resultsFile: path.join(outDir, 'results.json'),
    ...options,
    onProgress: (chunk) => process.stdout.write(chunk),
  });
  return JSON.parse(text) as { failed: number; results: T };
}
