import assert from 'node:assert/strict';
import { keyHover, valueHover } from '../../../src/language/core/hover-text';
import { checkSubnet, newSpecText } from '../../../src/language/core/new-spec';
import { outlineOf } from '../../../src/language/core/outline';
import { countFindings, formatCounts } from '../../../src/cluster-spec/counts';
import { keepFinding } from '../../../src/language/core/policy';
import { isSpecCandidate } from '../../../src/spec-service/candidates';
import { clusterIdentity, specSecretKey } from '../../../src/clusters';
import type { JsonSchema } from '../../../src/language/core/schema-walk';
import { SecretIndex } from '../../../src/clusters/secret-index';
import { EXAMPLE_HA_SPEC, clusterSchema, validateText } from '../../../src/cluster-spec';

describe('language: helpers', () => {
  it('hover: key description and default; an address against the model; a CIDR size', () => {
    const schema = clusterSchema as JsonSchema;
    const key = keyHover(schema, ['spec', 'network', 'podCidr']);
    assert.match(key ?? '', /^\*\*spec\.network\.podCidr\*\*/);
    assert.match(key ?? '', /Default: `10\.1\.0\.0\/16`/);
    const model = validateText(EXAMPLE_HA_SPEC, 'cluster.yaml').documents[0]?.model;
    const address = valueHover('172.25.252.12', ['spec', 'nodes', 1, 'address'], model) ?? '';
    assert.match(address, /inside `subnet` 172\.25\.252\.0\/24/);
    assert.match(address, /outside `dhcpRange` 172\.25\.252\.100-172\.25\.252\.200/);
    assert.match(address, /Held by node 2: `gw-2`/);
    assert.equal(
      valueHover('172.25.252.0/24', ['spec', 'network', 'subnet'], model),
      '**172.25.252.0/24**\n\nFirst address `172.25.252.0`, last address `172.25.252.255`: 256 addresses.',
    );
    assert.match(
      valueHover('10.0.0.5 - 10.0.0.9', ['spec', 'network', 'dhcpRange'], model) ?? '',
      /: 5 addresses\./,
    );
    assert.equal(valueHover('10.0.0.0/08', ['spec', 'network', 'subnet'], model), undefined);
  });

  it('outline: cluster → nodes → network, storage, charts', () => {
    const doc = validateText(EXAMPLE_HA_SPEC, 'cluster.yaml').documents[0];
    assert.ok(doc);
    const outline = outlineOf(doc);
    assert.equal(outline?.name, 'dc1-gateways');
    assert.deepEqual(
      outline?.children.map((c) => c.name),
      ['nodes', 'network', 'storage', 'charts'],
    );
    assert.deepEqual(
      outline?.children[0]?.children.map((n) => `${n.name} ${n.detail}`),
      ['gw-1 172.25.252.11', 'gw-2 172.25.252.12', 'gw-3 172.25.252.13'],
    );
  });

  it('"New Cluster Spec" writes specs without errors for both topologies', () => {
    for (const topology of ['ha', 'single-node'] as const) {
      for (const subnet of ['10.20.0.0/24', '192.168.7.8/29']) {
        const text = newSpecText({ topology, subnet, name: 'site-a' });
        const result = validateText(text, 'site-a.cluster.yaml', { offline: true });
        assert.equal(result.isSpec, true);
        assert.deepEqual(
          result.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.message}`),
          [],
          `${topology} in ${subnet}`,
        );
      }
    }
    assert.match(checkSubnet('10.0.0.0/30', 'ha') ?? '', /too small/);
    assert.match(checkSubnet('10.0.0.1', 'ha') ?? '', /not an IPv4 CIDR/);
    // The validator's rule (net.ts): a prefix with a leading zero is no CIDR here either.
    assert.match(checkSubnet('10.0.0.0/08', 'ha') ?? '', /not an IPv4 CIDR/);
    assert.equal(checkSubnet(' 10.0.0.0/8 ', 'ha'), undefined);
  });

  it('policy: candidates, Red Hat coexistence, counts', () => {
    assert.equal(isSpecCandidate('/w/site.cluster.yaml', ''), true);
    assert.equal(isSpecCandidate('/w/values.yaml', 'kind: Deployment'), false);
    assert.equal(keepFinding('GC001', true, true), false);
    assert.equal(keepFinding('GC001', true, false), true, 'files not open are not validated by Red Hat');
    assert.equal(keepFinding('GC010', true, true), true);
    assert.equal(
      formatCounts(countFindings([{ severity: 'error' }, { severity: 'warning' }, { severity: 'warning' }])),
      '1 error, 2 warnings, 0 infos',
    );
  });

  it('SecretIndex keeps the names (never the values) of each cluster apart', async () => {
    const store = new Map<string, string>();
    const state = new Map<string, unknown>();
    const index = new SecretIndex(
      { get: async (k) => store.get(k) },
      {
        get: <T>(k: string, d: T) => (state.has(k) ? (state.get(k) as T) : d),
        update: async (k, v) => void state.set(k, v),
      },
    );
    const lab = clusterIdentity('/w/cluster.yaml', 'lab');
    const other = clusterIdentity('/w/other.cluster.yaml', 'lab');
    for (const [name, value] of [
      ['b-token', 'x'],
      ['a-pass', 'y'],
    ]) {
      store.set(specSecretKey(lab, name!), value!);
      await index.refresh(specSecretKey(lab, name!));
    }
    assert.deepEqual(index.names(lab), ['a-pass', 'b-token']);
    assert.deepEqual(index.names(other), [], 'another cluster sees none of them');
    assert.ok(!JSON.stringify([...state.values()]).includes('"x"'), 'values are not in globalState');
    assert.equal(await index.freeName(lab, 'a-pass', 'y'), 'a-pass');
    assert.equal(await index.freeName(lab, 'a-pass', 'other'), 'a-pass-2');
    assert.equal(await index.freeName(other, 'a-pass', 'other'), 'a-pass');
    store.delete(specSecretKey(lab, 'b-token'));
    await index.refresh(specSecretKey(lab, 'b-token'));
    assert.deepEqual(index.names(lab), ['a-pass']);
    await index.refresh('some-unrelated-key');
    assert.deepEqual(index.names(lab), ['a-pass']);

    assert.deepEqual(index.holders('a-pass', other), [], 'a cluster it cannot name is not offered');
    await index.remember(lab);
    assert.deepEqual(index.holders('a-pass', other), [lab]);
    assert.deepEqual(index.holders('a-pass', lab), [], 'never itself');
    assert.deepEqual(index.holders('nothing-of-that-name', other), []);
  });
});
