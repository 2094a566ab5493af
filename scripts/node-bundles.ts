// The two plain-Node bundles the package ships besides the extension: the CLI and the spec worker. Their
// esbuild options live here so the build, the tests that run them and the benches build them the same way.
import type { BuildOptions } from 'esbuild';
import path from 'node:path';
import { nativeOptional } from './vendor-entries/vendor-builds';

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

/** `gateway-cluster validate`: one CommonJS file with a shebang (the package's `bin`). */
export function cliBuild(outfile: string, options: Partial<BuildOptions> = {}): BuildOptions {
  return nodeBundle('src/cli/main.ts', outfile, {
    banner: { js: '#!/usr/bin/env node' },
    external: nativeOptional,
    ...options,
  });
}

/** The spec core as a worker thread: the editor validates large specs in it, off the extension host's thread. */
export function specWorkerBuild(outfile: string, options: Partial<BuildOptions> = {}): BuildOptions {
  return nodeBundle('src/spec-service/spec-worker.ts', outfile, options);
}
