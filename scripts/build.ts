/**
 * Builds the extension (the activation shell and its features as two CommonJS bundles, `vscode` external),
 * the CLI (one file with a shebang) and the webview bundle. `--watch` rebuilds on change; `--production` minifies.
 */
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';

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

/**
 * The SSH and Kubernetes clients are 3.2 MB of the 4.3 MB the extension would otherwise be; compiling that at
 * activation costs about 150 ms. They are built as separate files under dist/vendor/ and required only on first
 * use, so activation compiles only the extension's own code (see docs/architecture.md).
 */
const vendorModules: Record<string, string> = {
  ssh2: 'module.exports = require("ssh2");',
  '@kubernetes/client-node': 'export * from "@kubernetes/client-node";',
};
const vendorFile = (name: string): string => name.replace(/^@/, '').replace(/\//g, '-');

const lazyVendor: esbuild.Plugin = {
  name: 'lazy-vendor',
  setup(build) {
    build.onResolve({ filter: /^(ssh2|@kubernetes\/client-node)$/ }, (args) => ({
      path: `./vendor/${vendorFile(args.path)}.js`,
      external: true,
    }));
  },
};

/**
 * The activation shell (src/extension.ts) requires the features (tree, language service, wizards) right after
 * activation: they are their own bundle, dist/features.js, so activation compiles only the tiny shell.
 */
const lazyFeatures: esbuild.Plugin = {
  name: 'lazy-features',
  setup(build) {
    build.onResolve({ filter: /^\.\/features$/ }, () => ({ path: './features.js', external: true }));
  },
};

const extensionBundle: esbuild.BuildOptions = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', ...nativeOptional],
};

const builds: esbuild.BuildOptions[] = [
  {
    ...extensionBundle,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    plugins: [lazyFeatures, lazyVendor],
  },
  {
    ...extensionBundle,
    entryPoints: ['src/features.ts'],
    outfile: 'dist/features.js',
    plugins: [lazyVendor],
  },
  ...Object.entries(vendorModules).map(([name, contents]): esbuild.BuildOptions => ({
    ...common,
    stdin: { contents, resolveDir: process.cwd(), sourcefile: `${vendorFile(name)}.ts` },
    outfile: `dist/vendor/${vendorFile(name)}.js`,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nativeOptional,
    sourcemap: false,
  })),
  // The spec core as a worker thread: the editor validates large specs in it, off the extension host's thread.
  {
    ...common,
    entryPoints: ['src/language/spec-worker.ts'],
    outfile: 'dist/spec-worker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
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
    // The wizard's own CSS is imported by main.ts (→ main.css); codicons are copied next to it, since the
    // webview may load nothing from outside dist/webview.
    plugins: [
      copyFiles('dist/webview', [
        'node_modules/@vscode/codicons/dist/codicon.css',
        'node_modules/@vscode/codicons/dist/codicon.ttf',
      ]),
    ],
  });
}

function copyFiles(toDir: string, files: string[]): esbuild.Plugin {
  return {
    name: 'copy-files',
    setup(build) {
      build.onEnd(() => {
        mkdirSync(toDir, { recursive: true });
        for (const file of files) copyFileSync(file, `${toDir}/${file.split('/').pop()}`);
      });
    },
  };
}

async function main(): Promise<void> {
  if (!watch) rmSync('dist', { recursive: true, force: true });
  mkdirSync('dist', { recursive: true });
  const available = builds.filter((b) => b.stdin || (b.entryPoints as string[]).every((e) => existsSync(e)));
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
