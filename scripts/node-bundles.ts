// The two plain-Node bundles the package ships besides the extension: the CLI and the spec worker. Their
// esbuild options live here so the build, the tests that run them and the benches build them the same way.
import type { BuildOptions } from 'esbuild';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { lazyVendor, nativeOptional } from './vendor-entries/vendor-builds';

const root = path.resolve(__dirname, '..');

function nodeBundle(entry: string, outfile: string, options: Partial<BuildOptions>): BuildOptions {
  return {
    bundle: true,
    entryPoints: [path.join(root, entry)],
    outfile,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'error',
    ...options,
  };
}

/**
 * `gateway-cluster`: one CommonJS file with a shebang (the package's `bin`). The SSH and Kubernetes clients
 * stay in `vendor/` beside it (the extension's files, built by vendorBuild), required only by `run` and
 * `plan`: `validate` and `--version` start without compiling them.
 */
export function cliBuild(outfile: string, options: Partial<BuildOptions> = {}): BuildOptions {
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    version: string;
  };
  return nodeBundle('src/cli/main.ts', outfile, {
    banner: { js: '#!/usr/bin/env node' },
    external: nativeOptional,
    plugins: [lazyVendor],
    define: { GATEWAY_CLUSTER_VERSION: JSON.stringify(version) },
    ...options,
  });
}

/** The spec core as a worker thread: the editor validates large specs in it, off the extension host's thread. */
export function specWorkerBuild(outfile: string, options: Partial<BuildOptions> = {}): BuildOptions {
  return nodeBundle('src/spec-service/spec-worker.ts', outfile, options);
}
