// Recognition, the model, ranges, one-mistake-one-finding, the schema and robustness against bad input.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { GENERATED_VALIDATOR_PATH, generateValidatorSource } from '../../../scripts/generate-validator';
import {
  CODES,
  EXAMPLE_HA_SPEC,
  EXAMPLE_LOAD_BALANCED_SPEC,
  EXAMPLE_SINGLE_NODE_SPEC,
  clusterSchema,
  isSpecFile,
  nextFreeAddress,
  nextFreeHostname,
  schemaForPath,
  validateText,
  type ClusterModel,
} from '../../../src/cluster-spec';
import { BASE, check, codes, edit, rangeOf } from './helpers';

function modelOf(text: string): ClusterModel {
  const model = validateText(text, 'cluster.yaml', { offline: true }).documents[0]?.model;
  assert.ok(model);
  return model;
}

describe('spec recognition', () => {
  it('recognises kind: GatewayCluster in any file, and cluster.yaml while no other kind is declared', () => {
    assert.equal(isSpecFile('any.yaml', BASE), true);
    assert.equal(isSpecFile('cluster.yaml', ''), true);
    assert.equal(isSpecFile('/x/dc1.cluster.yaml', 'metadata:\n  name: x\n'), true);
    assert.equal(isSpecFile('other.yaml', 'metadata:\n  name: x\n'), false);
    assert.equal(isSpecFile('cluster.yaml', 'apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\n'), false);
    assert.equal(
      isSpecFile('cluster.yaml', 'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\n'),
      false,
    );
    assert.equal(isSpecFile('mixed.yaml', `kind: ConfigMap\n---\n${BASE}`), true);
  });

  it('validates only GatewayCluster documents of a multi-document file', () => {
    const result = validateText(`kind: ConfigMap\nnot: ours\n---\n${BASE}`, 'all.yaml', { offline: true });
    assert.equal(result.documents.length, 1);
    assert.equal(result.documents[0]?.index, 1);
    assert.deepEqual(result.findings, []);
  });

  it('leaves a non-spec file alone and reports nothing for an empty cluster.yaml', () => {
    assert.deepEqual(validateText('kind: ClusterConfig\nfoo: 1\n', 'cluster.yaml').findings, []);
    assert.deepEqual(validateText('', 'cluster.yaml'), { isSpec: true, documents: [], findings: [] });
  });
});

describe('spec model', () => {
  it('applies defaults and merges ssh per node', () => {
    const model = modelOf(BASE);
    assert.equal(model.name, 'dc1-gateways');
    assert.equal(model.topology, 'ha');
    assert.deepEqual(model.nodes[2]?.ssh, {
      user: 'admin',
      port: 22,
      identityFile: '~/.ssh/gateway_ed25519',
    });
    assert.equal(model.network.metallbRange, '172.25.252.5/32');
    assert.equal(model.network.podCidr, '10.1.0.0/16');
    assert.equal(model.network.serviceCidr, '10.152.183.0/24');
    assert.equal(model.gatewayManager.port, 5480);
    assert.deepEqual(model.storage.nfs, { server: '172.26.111.203', path: '/shared/gateway-cluster-1' });
    const single = modelOf(EXAMPLE_SINGLE_NODE_SPEC);
    assert.equal(single.network.metallbRange, '192.168.50.5/32');
    assert.equal(single.charts.repository, 'oci://us-docker.pkg.dev/opsramp-registry/gateway-cluster-charts');
    assert.equal(single.nodes[0]?.ssh.port, 22);
  });

  it('finds the range of any path', () => {
    const doc = validateText(BASE, 'cluster.yaml', { offline: true }).documents[0]!;
    assert.deepEqual(doc.rangeOf(['spec', 'nodes', 1, 'address'], 'value'), rangeOf(BASE, '172.25.252.12'));
    assert.deepEqual(doc.rangeOf(['spec', 'network'], 'key'), rangeOf(BASE, 'network'));
    assert.equal(doc.rangeOf(['spec', 'nope']), undefined);
  });

  it('suggests the next free address and hostname', () => {
    const model = modelOf(BASE);
    assert.equal(nextFreeAddress(model), '172.25.252.3');
    assert.equal(nextFreeHostname(model), 'gw-4');
  });

  it('takes the next free address from the IP pool, range or subnet, and reads the roles', () => {
    const pooled = (pool: string) =>
      modelOf(
        edit(
          BASE,
          '    ntpServers: [ntp.example.com]',
          `    ntpServers: [ntp.example.com]\n    ipPool: { ${pool} }`,
        ),
      );
    assert.equal(nextFreeAddress(pooled('start: 172.25.252.11, end: 172.25.252.20')), '172.25.252.14');
    // A subnet pool never hands out its network address (.16).
    assert.equal(nextFreeAddress(pooled('subnet: 172.25.252.16/29')), '172.25.252.17');
    assert.equal(nextFreeAddress(pooled('start: 172.25.252.11, end: 172.25.252.13')), undefined);
    const model = pooled('name: dc1, subnet: 172.25.252.16/28, prefix: 24, restrictToCluster: true');
    assert.deepEqual(model.network.ipPool, {
      name: 'dc1',
      subnet: '172.25.252.16/28',
      prefix: 24,
      nameservers: [],
      restrictToCluster: true,
    });
    const worker = modelOf(edit(BASE, 'host: esxi-c', 'host: esxi-c\n      role: worker'));
    assert.deepEqual(
      worker.nodes.map((n) => n.role),
      [undefined, undefined, 'worker'],
    );
  });

  it('the examples are free of errors, and docs/cluster-spec.md shows the HA example verbatim', () => {
    assert.deepEqual(codes(check(BASE, { offline: true })), []);
    assert.deepEqual(codes(check(EXAMPLE_SINGLE_NODE_SPEC, { offline: true })), ['GC124']);
    assert.ok(readFileSync('docs/cluster-spec.md', 'utf8').includes('```yaml\n' + EXAMPLE_HA_SPEC + '```'));
  });
});

describe('spec: one mistake, one finding', () => {
  const opts = { offline: true };
  it('two nodes in an ha cluster is GC120 alone', () => {
    const text = edit(
      BASE,
      '    - hostname: gw-3\n      address: 172.25.252.13\n      host: esxi-c\n      ssh: { user: admin }           # per-node override, merged over spec.ssh\n',
      '',
    );
    assert.deepEqual(codes(check(text, opts)), ['GC120']);
  });
  it('a shared host is GC122 alone', () => {
    assert.deepEqual(codes(check(edit(BASE, 'host: esxi-c', 'host: esxi-a'), opts)), ['GC122']);
  });
  it('an invalid address is GC102 alone', () => {
    assert.deepEqual(codes(check(edit(BASE, 'address: 172.25.252.12', 'address: 172.25.252'), opts)), [
      'GC102',
    ]);
  });
  it('a misspelt required key is GC010 alone', () => {
    assert.deepEqual(codes(check(edit(BASE, 'address: 172.25.252.12', 'adress: 172.25.252.12'), opts)), [
      'GC010',
    ]);
  });
  it('a wrong-typed value is not judged again by semantic rules', () => {
    assert.deepEqual(codes(check(edit(BASE, 'topology: ha', 'topology: [ha]'), opts)), ['GC011']);
    assert.deepEqual(codes(check(edit(BASE, 'subnet: 172.25.252.0/24', 'subnet: 172.25.252.0/40'), opts)), [
      'GC108',
    ]);
  });
  it('an inline password without passwordSecret is GC150 alone', () => {
    const text = edit(
      BASE,
      "    passwordSecret: dc1-manager-password     # a key in the editor's secret storage",
      '    password: 123456',
    );
    assert.deepEqual(codes(check(text, opts)), ['GC150']);
  });
});

describe('spec schema', () => {
  it('describes every property and resolves paths for completion and hover', () => {
    const walk = (node: unknown, where: string): void => {
      if (!node || typeof node !== 'object') return;
      const properties = (node as { properties?: Record<string, unknown> }).properties ?? {};
      for (const [key, child] of Object.entries(properties)) {
        assert.equal(
          typeof (child as { description?: unknown }).description,
          'string',
          `${where}.${key} needs a description`,
        );
        walk(child, `${where}.${key}`);
      }
      for (const value of Object.values(node)) if (value && typeof value === 'object') walk(value, where);
    };
    walk(clusterSchema, '');
    assert.deepEqual((schemaForPath(['spec', 'topology']) as { enum: string[] }).enum, [
      'ha',
      'single-node',
      'load-balanced',
    ]);
    assert.equal((schemaForPath(['spec', 'nodes', 0, 'ssh', 'port']) as { default: number }).default, 22);
    assert.equal((schemaForPath(['spec', 'gatewayManager', 'port']) as { default: number }).default, 5480);
    assert.equal(schemaForPath(['spec', 'nope']), undefined);
  });

  it('the precompiled validator is up to date with the schema', async function () {
    this.timeout(20000);
    const generated = readFileSync(GENERATED_VALIDATOR_PATH, 'utf8');
    // ajv's `vErrors.concat(...)` per $ref call made 10,000 nodes with errors quadratic (see the generator).
    assert.ok(!generated.includes('.concat('), 'errors are appended in place');
    assert.ok(!/\brequire\(/.test(generated), 'nothing from ajv at run time: ajv is a devDependency');
    assert.equal(generated, await generateValidatorSource(), 'run: npx tsx scripts/generate-validator.ts');
  });
});

describe('docs/cluster-spec.md stays in step with the schema and the codes', () => {
  const doc = readFileSync('docs/cluster-spec.md', 'utf8');
  const tableAfter = (heading: string): string[] => {
    const section = doc.slice(doc.indexOf(heading));
    const lines = section.split('\n');
    const start = lines.findIndex((line) => line.startsWith('| ---'));
    const rows: string[] = [];
    for (const line of lines.slice(start + 1)) {
      if (!line.startsWith('|')) break;
      rows.push(line.split('|')[1]!.trim());
    }
    return rows;
  };
  const schemaPaths = (path: Array<string | number>, label: string, out: string[]): string[] => {
    type Node = { type?: unknown; properties?: Record<string, unknown> };
    const node = schemaForPath(path) as Node;
    for (const key of Object.keys(node.properties ?? {})) {
      const child = schemaForPath([...path, key]) as Node;
      const item = schemaForPath([...path, key, 0]) as Node | undefined;
      const name = label ? `${label}.${key}` : key;
      const listOfObjects = child.type === 'array' && item?.type === 'object';
      out.push(listOfObjects ? `${name}[]` : name);
      if (child.type === 'object') schemaPaths([...path, key], name, out);
      if (listOfObjects) schemaPaths([...path, key, 0], `${name}[]`, out);
    }
    return out;
  };

  it('every schema property has a row in the field table, and every row is a schema property', () => {
    assert.deepEqual(tableAfter('## Fields').sort(), schemaPaths([], '', []).sort());
  });

  it('the diagnostics table lists exactly the codes the validator emits, each with its link anchor', () => {
    // Diagnostics link their code to docs/cluster-spec.md#gc010 and so on: every row carries that anchor.
    const rows = tableAfter('## Diagnostics');
    assert.deepEqual(
      rows,
      Object.keys(CODES).map((code) => `<a id="${code.toLowerCase()}"></a>${code}`),
    );
  });
});

describe('docs/load-balancer.md stays in step with the example and the generator', () => {
  it('shows the load-balanced example verbatim, and lines of its haproxy.cfg as generated', () => {
    const doc = readFileSync('docs/load-balancer.md', 'utf8');
    assert.ok(doc.includes('```yaml\n' + EXAMPLE_LOAD_BALANCED_SPEC + '```'));
    const excerpt = /```\nglobal\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    const generated = readFileSync('test/unit/ops/snapshots/haproxy/example.cfg', 'utf8').split('\n');
    const lines = excerpt.split('\n').filter((line) => line.trim() && line.trim() !== '…');
    assert.ok(lines.length > 20);
    for (const line of lines) assert.ok(generated.includes(line), line);
  });
});
