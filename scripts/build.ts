/**
 * Builds the extension (the activation shell and its features as two CommonJS bundles, `vscode` external),
 * the CLI (one file with a shebang) and the webview bundle. `--watch` rebuilds on change; `--production` minifies.
 */
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { missingNames, usedVendorNames } from './vendor-entries/used-names';
import { cliBuild, specWorkerBuild } from './node-bundles';
import {
  lazyVendor,
  nativeOptional,
  vendorBuild,
  vendorEntries,
  vendorFile,
} from './vendor-entries/vendor-builds';
import type { VendorModule } from './vendor-entries/vendor-builds';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

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
 * use, so activation compiles only the extension's own code (see docs/architecture.md). Each is bundled from an
 * entry under scripts/vendor-entries/ that exports only what src/ uses, which keeps the .vsix under 1 MB.
 */
const vendorModules = Object.keys(vendorEntries) as VendorModule[];

/**
 * The activation shell (src/extension.ts) requires the features (tree, language service, wizards) right after
 * activation: they are their own bundle, dist/features.js, so activation compiles only the tiny shell.
 */
const lazyFeatures: esbuild.Plugin = {
  name: 'lazy-features',
  setup(build) {
    build.onResolve({ filter: /^\.\/(features|testing)$/ }, (args) => ({
      path: `${args.path}.js`,
      external: true,
    }));
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
  ...vendorModules.map((name) => vendorBuild(name, 'dist/vendor', { minify: production })),
  specWorkerBuild('dist/spec-worker.js', common),
  cliBuild('dist/cli.js', common),
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
  const available = builds.filter((b) => (b.entryPoints as string[]).every((e) => existsSync(e)));
  if (watch) {
    for (const options of available) await (await esbuild.context(options)).watch();
    return;
  }
  await Promise.all(available.map((options) => esbuild.build(options)));
  await checkVendorFiles();
}

/**
 * A name src/ uses but a vendor entry lacks would be undefined only in the packaged extension: rather than
 * ship that, the vendor file is rebuilt from the whole package (bigger .vsix, same behaviour) with a warning;
 * test/unit/vendor-bundle.test.ts fails until the entry lists the name.
 */
async function checkVendorFiles(): Promise<void> {
  const used = usedVendorNames('src');
  const load = createRequire(path.resolve('dist/vendor/index.js'));
  for (const name of vendorModules) {
    const exports = load(`./${vendorFile(name)}.js`) as Record<string, unknown>;
    const missing = missingNames(name === 'ssh2' ? used.ssh2 : used.k8s, exports);
    if (missing.length === 0) continue;
    console.warn(
      `▲ ${vendorEntries[name]} lacks ${missing.join(', ')} (used in src/): dist/vendor/${vendorFile(name)}.js ` +
        'is built from the whole package instead. Add the names to the entry.',
    );
    await esbuild.build(vendorBuild(name, 'dist/vendor', { minify: production, whole: true }));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
