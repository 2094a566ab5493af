// What users install: `npx gateway-cluster` from a built checkout, and `npm pack`'s package, installed into
// an empty folder offline with its runtime dependencies only, whose bin runs (the lab tests then run this
// installed copy through the whole procedure). No root and no lab needed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { EXAMPLE_HA_SPEC } from '../../../src/cluster-spec';
import { cliPackage, requiredPeers, type CliPackage, type LockEntry } from './support/cli-package';

const root = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  version: string;
  devDependencies: Record<string, string>;
};

describe('the gateway-cluster package: npx from a built checkout, npm pack, install, bin', function () {
  this.timeout(180_000);
  let pkg: CliPackage;

  before(async function () {
    this.timeout(180_000);
    pkg = await cliPackage();
  });

  it('packs the CLI, the vendor bundles it loads, the schema and its docs, nothing else', () => {
    assert.deepEqual(pkg.files, [
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'dist/cli.js',
      'dist/vendor/kubernetes-client-node.js',
      'dist/vendor/ssh2.js',
      'docs/cli.md',
      'docs/cluster-spec.md',
      'package.json',
      'schemas/cluster.schema.json',
    ]);
  });

  it('`npx gateway-cluster` runs the bin of a built checkout', () => {
    const r = spawnSync('npx', ['--offline', 'gateway-cluster', '--version'], {
      cwd: pkg.checkout,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `${manifest.version}\n`);
  });

  it('installs with its runtime dependencies only, and its bin runs --version, validate and plan', () => {
    // Dev dependencies that nothing at run time needs (@types/node, say, is a dependency of the Kubernetes
    // client, and @vscode/codicons a peer of the webview's elements: npm installs those for users too).
    const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, LockEntry>;
    };
    const runtime = Object.values(lock.packages).filter((e) => !e.dev && !e.devOptional);
    const peers = new Set(runtime.flatMap(requiredPeers));
    const devOnly = Object.keys(manifest.devDependencies).filter((name) => {
      const entry = lock.packages[`node_modules/${name}`];
      return (entry?.dev || entry?.devOptional) && !peers.has(name);
    });
    assert.ok(devOnly.includes('esbuild') && devOnly.includes('typescript') && devOnly.includes('mocha'));
    for (const name of [...devOnly, 'vscode'])
      assert.ok(!existsSync(path.join(pkg.installDir, 'node_modules', name)), `${name} was installed`);
    const spec = path.join(pkg.installDir, 'cluster.yaml');
    writeFileSync(spec, EXAMPLE_HA_SPEC);
    const bin = (...args: string[]) =>
      spawnSync(pkg.binLink, args, {
        cwd: pkg.installDir,
        encoding: 'utf8',
        env: { ...process.env, HOME: pkg.installDir },
      });
    const version = bin('--version');
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout, `${manifest.version}\n`);
    const valid = bin('validate', '--offline', spec);
    assert.equal(valid.status, 0, valid.stderr);
    assert.equal(valid.stdout, '0 errors, 0 warnings, 0 infos\n');
    const plan = bin('plan', 'register', spec, '--format', 'json');
    assert.equal(plan.status, 0, plan.stderr);
    assert.equal((JSON.parse(plan.stdout) as { event: string }).event, 'plan');
  });
});
