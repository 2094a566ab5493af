// The CLI's arguments: one option parser for every command, and plan/run checked against the catalog —
// including a made-up operation on one node that asks a confirmation first.
import assert from 'node:assert/strict';
import { parseOperationArgs } from '../../../src/cli/args';
import { parseOptions } from '../../../src/cli/options';
import { helpText } from '../../../src/cli/usage';
import { OPERATION_NAMES, OPERATIONS, type OperationInfo } from '../../../src/ops/catalog';

const catalog: Record<string, OperationInfo> = {
  ...OPERATIONS,
  'retire-node': {
    title: 'Retire Node',
    summary: 'a made-up operation on one node that asks first',
    node: 'required',
    readOnly: false,
    confirmations: ['Retire {node}?'],
  },
};

describe('cli/args', () => {
  it('parses `--name value`, `--name=value`, flags, repeatable options and `--`', () => {
    const parsed = parseOptions(['a', '--x', '1', '--y=2', '--f', '--r', 'p', '--r=q', '--', '--z'], {
      x: { value: true },
      y: { value: true },
      f: {},
      r: { value: true, repeatable: true },
    });
    assert.ok(typeof parsed !== 'string');
    assert.deepEqual(parsed.positionals, ['a', '--z']);
    assert.deepEqual(
      [...parsed.values],
      [
        ['x', '1'],
        ['y', '2'],
        ['f', true],
        ['r', ['p', 'q']],
      ],
    );
    assert.equal(parseOptions(['--nope'], {}), 'unknown option "--nope"');
    assert.equal(parseOptions(['-n'], {}), 'unknown option "-n"');
    assert.equal(parseOptions(['--x'], { x: { value: true } }), '--x needs a value');
    assert.equal(parseOptions(['--x', '--f'], { x: { value: true }, f: {} }), '--x needs a value');
    assert.equal(parseOptions(['--f=1'], { f: {} }), '--f takes no value');
  });

  it('run: every option of the contract', () => {
    const args = parseOperationArgs('run', [
      'deploy',
      'cluster.yaml',
      '--cluster',
      'dc1',
      '--format=json',
      '--secrets-file',
      's.yaml',
      '--known-hosts',
      'a',
      '--known-hosts',
      'b',
      '--accept-new-host-keys',
      '--yes',
    ]);
    assert.deepEqual(args, {
      command: 'run',
      operation: 'deploy',
      spec: 'cluster.yaml',
      cluster: 'dc1',
      node: undefined,
      format: 'json',
      secretsFile: 's.yaml',
      knownHosts: ['a', 'b'],
      acceptNewHostKeys: true,
      yes: true,
      force: false,
      confirm: undefined,
    });
  });

  it('--force only where the catalog has the flag (remove-node), with --confirm giving its answer ahead', () => {
    const args = parseOperationArgs('run', [
      'remove-node',
      'c.yaml',
      '--node',
      'gw-3',
      '--force',
      '--confirm',
      'gw-3',
    ]);
    assert.ok(typeof args === 'object');
    assert.deepEqual([args.force, args.confirm], [true, 'gw-3']);
    assert.equal(parseOperationArgs('run', ['deploy', 'c.yaml', '--force']), 'deploy takes no --force');
    assert.match(
      String(parseOperationArgs('plan', ['remove-node', 'c.yaml', '--node', 'gw-3', '--force'])),
      /force/,
    );
  });

  it('plan takes neither --secrets-file nor --yes; bad formats, operations and arity are usage errors', () => {
    assert.equal(parseOperationArgs('plan', ['join', 'c.yaml', '--yes']), 'unknown option "--yes"');
    assert.equal(
      parseOperationArgs('plan', ['join', 'c.yaml', '--secrets-file', 's']),
      'unknown option "--secrets-file"',
    );
    assert.equal(
      parseOperationArgs('plan', ['join', 'c.yaml', '--format', 'xml']),
      '--format must be "text" or "json", not "xml"',
    );
    assert.equal(parseOperationArgs('plan', []), `no OPERATION given (one of ${OPERATION_NAMES.join(', ')})`);
    assert.equal(
      parseOperationArgs('plan', ['rejoin', 'c.yaml']),
      `unknown operation "rejoin" (one of ${OPERATION_NAMES.join(', ')})`,
    );
    assert.equal(parseOperationArgs('plan', ['join']), 'no SPEC given');
    assert.equal(parseOperationArgs('plan', ['join', 'a.yaml', 'b.yaml']), 'unexpected argument "b.yaml"');
    assert.equal(
      parseOperationArgs('plan', ['toString', 'a.yaml']),
      `unknown operation "toString" (one of ${OPERATION_NAMES.join(', ')})`,
    );
  });

  it('an operation on one node requires --node; the others refuse it (generic over the catalog)', () => {
    assert.equal(
      parseOperationArgs('run', ['retire-node', 'c.yaml'], catalog),
      'retire-node works on one node: name it with --node HOSTNAME',
    );
    const args = parseOperationArgs('run', ['retire-node', 'c.yaml', '--node', 'gw-2'], catalog);
    assert.ok(typeof args !== 'string');
    assert.equal(args.node, 'gw-2');
    assert.equal(
      parseOperationArgs('run', ['join', 'c.yaml', '--node', 'gw-2'], catalog),
      'join works on the whole cluster and takes no --node',
    );
  });

  it('help lists every operation of the catalog with its summary, and which need --node', () => {
    const help = helpText(catalog);
    for (const [name, info] of Object.entries(catalog))
      assert.ok(help.includes(`${name}`) && help.includes(info.summary));
    assert.match(help, /retire-node +a made-up operation on one node that asks first \(--node HOSTNAME\)/);
    assert.match(helpText(OPERATIONS), /remove-node +.*\(--node HOSTNAME\) \[--force\]/);
    assert.match(help, /Exit status: 0 .*\n.* 3 host key unknown or changed, 4 /);
  });
});
