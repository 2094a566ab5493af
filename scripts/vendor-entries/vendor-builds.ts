/**
 * How dist/vendor/ is built (scripts/build.ts), shared with test/unit/vendor-bundle.test.ts so the test loads
 * exactly what ships. Each vendor module is bundled from its entry here, which exports only what src/ uses.
 */
import type * as esbuild from 'esbuild';

export type VendorModule = 'ssh2' | '@kubernetes/client-node';

export const vendorEntries: Record<VendorModule, string> = {
  ssh2: 'scripts/vendor-entries/ssh2.cjs',
  '@kubernetes/client-node': 'scripts/vendor-entries/kubernetes-client-node.mts',
};

/** The whole package, as before the entries: what the build falls back to if an entry lacks a used name. */
const wholePackage: Record<VendorModule, string> = {
  ssh2: 'module.exports = require("ssh2");',
  '@kubernetes/client-node': 'export * from "@kubernetes/client-node";',
};

export const vendorFile = (name: string): string => name.replace(/^@/, '').replace(/\//g, '-');

// ssh2's optional native parts stay outside: ssh2 falls back to pure JS when they are absent (it requires
// both inside try/catch).
export const nativeOptional = ['cpu-features', './crypto/build/Release/sshcrypto.node'];

/**
 * node-fetch 2 (the Kubernetes client's) takes URL from node:url, which always has it, and whatwg-url only as a
 * fallback for old Node: the fallback, with tr46's 265 KB Unicode table, stays out of the vendor file.
 */
const nodeUrlForNodeFetch: esbuild.Plugin = {
  name: 'node-url-for-node-fetch',
  setup(build) {
    build.onResolve({ filter: /^whatwg-url$/ }, (args) =>
      /[\\/]node-fetch[\\/]/.test(args.importer) ? { path: 'whatwg-url', namespace: 'node-url' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'node-url' }, () => ({
      contents: 'module.exports = { URL: require("node:url").URL };',
      loader: 'js',
    }));
  },
};

/** esbuild options for one vendor file; `whole` bundles the entire package instead of the entry. */
export function vendorBuild(
  name: VendorModule,
  outDir: string,
  options: { minify: boolean; whole?: boolean; logLevel?: esbuild.LogLevel },
): esbuild.BuildOptions {
  return {
    ...(options.whole
      ? {
          stdin: {
            contents: wholePackage[name],
            resolveDir: process.cwd(),
            sourcefile: `${vendorFile(name)}.ts`,
          },
        }
      : { entryPoints: [vendorEntries[name]] }),
    outfile: `${outDir}/${vendorFile(name)}.js`,
    bundle: true,
    minify: options.minify,
    logLevel: options.logLevel ?? 'info',
    legalComments: 'linked',
    sourcemap: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nativeOptional,
    plugins: [nodeUrlForNodeFetch],
  };
}

/** The extension's bundles require the vendor files at run time instead of bundling them. */
export const lazyVendor: esbuild.Plugin = {
  name: 'lazy-vendor',
  setup(build) {
    build.onResolve({ filter: /^(ssh2|@kubernetes\/client-node)$/ }, (args) => ({
      path: `./vendor/${vendorFile(args.path)}.js`,
      external: true,
    }));
  },
};
