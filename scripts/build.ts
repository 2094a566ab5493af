/**
 * Builds the extension (one CommonJS bundle, `vscode` external), the CLI (one file with a shebang) and the
 * webview bundle. `--watch` rebuilds on change; `--production` minifies.
 */
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, rmSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

// ssh2's optional native parts stay outside: ssh2 falls back to pure JS when they are absent.
const nativeOptional = ['cpu-features', './crypto/build/Release/sshcrypto.node'];

const common: esbuild.BuildOptions = {
  bundle: true,
  sourcemap: true,
  minify: production,
  logLevel: 'info',
  legalComments: 'linked',
};

const builds: esbuild.BuildOptions[] = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', ...nativeOptional],
    // The Kubernetes client is ESM-only; esbuild turns it into CommonJS inside the bundle.
    mainFields: ['module', 'main'],
  },
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    external: nativeOptional,
  },
];

if (existsSync('webview/main.ts')) {
  builds.push({
    ...common,
    entryPoints: ['webview/main.ts'],
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
  });
}

async function main(): Promise<void> {
  if (!watch) rmSync('dist', { recursive: true, force: true });
  mkdirSync('dist', { recursive: true });
  const available = builds.filter((b) => (b.entryPoints as string[]).every((e) => existsSync(e)));
  if (watch) {
    for (const options of available) await (await esbuild.context(options)).watch();
    return;
  }
  await Promise.all(available.map((options) => esbuild.build(options)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
