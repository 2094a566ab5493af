// The built CLI as a subprocess: both formats, sorting, the summary and every exit status.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { cliBuild } from '../../../scripts/node-bundles';
import { EXAMPLE_HA_SPEC } from '../../../src/cluster-spec';

describe('gateway-cluster validate (built CLI)', function () {
  this.timeout(60000);
  let dir = '';
  let cli = '';
  const run = (...args: string[]): { status: number | null; stdout: string; stderr: string } => {
    const result = spawnSync(process.execPath, [cli, ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, HOME: dir },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-cluster-cli-'));
    cli = join(dir, 'cli.js');
    await build(cliBuild(cli));
    writeFileSync(join(dir, 'good.yaml'), EXAMPLE_HA_SPEC);
    writeFileSync(
      join(dir, 'bad.yaml'),
      EXAMPLE_HA_SPEC.replace('address: 172.25.252.12', 'address: 172.25.252.312').replace(
        'topology: ha',
        'topology: HA',
      ),
    );
    writeFileSync(join(dir, 'other.yaml'), 'apiVersion: v1\nkind: ConfigMap\n');
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 for a valid file, reporting warnings, with the summary line', () => {
    const result = run('validate', 'good.yaml');
    assert.equal(result.status, 0);
    assert.equal(
      result.stdout,
      'good.yaml:11:19: warning GC180 identityFile "~/.ssh/gateway_ed25519" does not exist on this machine (looked for ' +
        `"${join(dir, '.ssh/gateway_ed25519')}"); create the key or correct the path.\n0 errors, 1 warning, 0 infos\n`,
    );
    assert.equal(run('validate', '--offline', 'good.yaml').stdout, '0 errors, 0 warnings, 0 infos\n');
  });

  it('exits 1 on errors; text lines are 1-based and sorted by file, line, column', () => {
    const result = run('validate', '--offline', 'other.yaml', 'bad.yaml');
    assert.equal(result.status, 1);
    const lines = result.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^bad\.yaml:7:13: error GC013 spec\.topology "HA" is not allowed/);
    assert.match(
      lines[1]!,
      /^bad\.yaml:18:16: error GC102 Address of node 2 "172\.25\.252\.312" is not a valid IPv4 address/,
    );
    assert.match(lines[2]!, /^other\.yaml:1:1: error GC002 /);
    assert.equal(lines[3], '3 errors, 0 warnings, 0 infos');
  });

  it('json: one array, 0-based ranges, the contract fields only', () => {
    const result = run('validate', '--format', 'json', '--offline', 'bad.yaml');
    assert.equal(result.status, 1);
    const findings = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    assert.deepEqual(findings[0], {
      file: 'bad.yaml',
      code: 'GC013',
      severity: 'error',
      message: 'spec.topology "HA" is not allowed; use "ha" or "single-node" or "load-balanced".',
      range: { start: { line: 6, character: 12 }, end: { line: 6, character: 14 } },
    });
    assert.deepEqual(Object.keys(findings[1]!), ['file', 'code', 'severity', 'message', 'range']);
    assert.equal(run('validate', '--format=json', '--offline', 'good.yaml').stdout, '[]\n');
  });

  it('10,000 unknown keys: 100 findings and one GC003 that counts the rest, exit 1 (the quadratic-validator issue)', () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => `  unknownKey${i}: ${i}\n`).join('');
    writeFileSync(join(dir, 'hostile.yaml'), EXAMPLE_HA_SPEC.replace('spec:\n', `spec:\n${keys}`));
    const result = run('validate', '--offline', 'hostile.yaml');
    assert.equal(result.status, 1);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 102);
    assert.equal(lines.filter((line) => / error GC010 /.test(line)).length, 100);
    assert.match(
      lines[0]!,
      /^hostile\.yaml:1:1: info GC003 9,900 more findings in this document are not shown/,
    );
    assert.equal(lines.at(-1), '100 errors, 0 warnings, 1 info');
  });

  it('exits 2 on usage errors and unreadable files', () => {
    assert.equal(run().status, 2);
    assert.equal(run('check', 'good.yaml').status, 2);
    assert.equal(run('validate').status, 2);
    assert.equal(run('validate', '--format', 'xml', 'good.yaml').status, 2);
    assert.equal(run('validate', '--bogus', 'good.yaml').status, 2);
    const missing = run('validate', '--offline', 'missing.yaml', 'bad.yaml');
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read missing\.yaml: ENOENT/);
    assert.match(missing.stdout, /bad\.yaml:7:13: error GC013/);
    const nothingRead = run('validate', '--offline', 'missing.yaml');
    assert.equal(nothingRead.status, 2);
    assert.equal(nothingRead.stdout, '', 'no "0 errors" summary beside a file that could not be read');
    assert.match(run('validate', 'good.yaml', 'good.yaml').stdout, /0 errors, 2 warnings, 0 infos/);
  });
});
