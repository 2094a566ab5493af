// `plan` and `run` as a subprocess, for what needs no nodes: help and --version, the spec's errors and its
// clusters, the secrets, and the lock another process holds (exit 4) — all refused before any connection
// (the spec's addresses are TEST-NET ones nothing answers on). The lab tests run the rest.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { cliBuild } from '../../../scripts/node-bundles';
import { EXAMPLE_HA_SPEC } from '../../../src/cluster-spec';
import { clusterIdentity, stateDirOf } from '../../../src/clusters';
import { OPERATIONS } from '../../../src/ops/catalog';

const SPEC = EXAMPLE_HA_SPEC.replaceAll('172.25.252.', '192.0.2.').replace('172.26.111.203', '192.0.2.200');

describe('gateway-cluster plan and run (built CLI, no nodes)', function () {
  this.timeout(60000);
  let dir = '';
  let cli = '';
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [cli, ...args], {
      cwd: dir,
      encoding: 'utf8',
      input: '',
      env: { ...process.env, HOME: dir, GATEWAY_CLUSTER_SECRETS_FILE: '' },
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-cluster-ops-cli-'));
    cli = join(dir, 'cli.js');
    await build(cliBuild(cli));
    mkdirSync(join(dir, '.ssh'));
    writeFileSync(join(dir, '.ssh', 'gateway_ed25519'), '');
    writeFileSync(join(dir, 'cluster.yaml'), SPEC);
    writeFileSync(
      join(dir, 'two.yaml'),
      `${SPEC}---\n${SPEC.replace('name: dc1-gateways', 'name: dc2-gateways')}`,
    );
    writeFileSync(join(dir, 'bad.yaml'), SPEC.replace('address: 192.0.2.12', 'address: 192.0.2.312'));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--help lists every operation of the catalog; --version prints the package version', () => {
    const help = run('run', '--help');
    assert.equal(help.status, 0);
    for (const [name, info] of Object.entries(OPERATIONS))
      assert.ok(help.stdout.includes(`  ${name}`) && help.stdout.includes(info.summary));
    const version = run('--version');
    assert.equal(version.status, 0);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  });

  it('a spec with errors is exit 2 listing them as validate does, before any connection', () => {
    const r = run('run', 'join', 'bad.yaml');
    assert.equal(r.status, 2);
    const validate = run('validate', 'bad.yaml');
    const line = validate.stdout.split('\n').find((l) => l.includes('GC102'))!;
    assert.ok(r.stderr.includes(line), r.stderr);
    assert.match(r.stderr, /bad\.yaml: cluster dc1-gateways has 1 error; nothing was run\./);
    assert.equal(run('plan', 'join', 'bad.yaml').status, 2);
  });

  it('several clusters in one file: --cluster picks one; without it, or with an unknown name, exit 2', () => {
    assert.match(
      run('plan', 'join', 'two.yaml').stderr,
      /two\.yaml holds 2 clusters \(dc1-gateways, dc2-gateways\): pick one with --cluster NAME/,
    );
    assert.match(
      run('plan', 'join', 'two.yaml', '--cluster', 'dc3').stderr,
      /has no cluster named "dc3" \(it has dc1-gateways, dc2-gateways\)/,
    );
    const picked = run('plan', 'register', 'two.yaml', '--cluster', 'dc2-gateways');
    assert.equal(picked.status, 0, picked.stderr);
    assert.match(picked.stdout, /^# register — cluster dc2-gateways/);
  });

  it('a secret the secrets file lacks is exit 2 without a terminal, naming it', () => {
    const secrets = join(dir, 'secrets.yaml');
    writeFileSync(secrets, 'dc1-activation-token: tok\n', { mode: 0o600 });
    const missing = run('run', 'deploy', 'cluster.yaml', '--secrets-file', secrets);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /deploy needs the secret "dc1-manager-password"/);
  });

  it('exit 4 while another process holds the cluster’s lock, naming its operation; nothing runs', () => {
    const specPath = join(dir, 'cluster.yaml');
    const lockDir = join(stateDirOf(specPath), 'locks');
    mkdirSync(lockDir, { recursive: true });
    const holder = {
      pid: process.pid,
      host: hostname(),
      operation: 'join',
      by: 'VS Code',
      since: Date.now(),
      token: 't',
    };
    writeFileSync(
      join(lockDir, `${clusterIdentity(specPath, 'dc1-gateways').id}.json`),
      JSON.stringify(holder),
    );
    try {
      const r = run('run', 'preflight', 'cluster.yaml', '--format', 'json');
      assert.equal(r.status, 4, r.stderr);
      assert.match(
        r.stderr,
        new RegExp(
          `join is already running on cluster dc1-gateways \\(started .* by VS Code, process ${process.pid}\\)`,
        ),
      );
      const events = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { event: string; exitStatus?: number; message?: string });
      assert.deepEqual(events, [{ event: 'error', exitStatus: 4, message: events[0]!.message }]);
    } finally {
      rmSync(lockDir, { recursive: true, force: true });
    }
  });
});
