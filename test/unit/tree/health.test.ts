import assert from 'node:assert/strict';
import { mergeNodes, summarizeHealth } from '../../../src/tree/core';
import { apiNode, specNodes } from './fixtures';

describe('tree model: summarizeHealth', () => {
  const spec = specNodes(3);
  const all = spec.map((s) => apiNode(s.hostname, s.address));

  it('describes a healthy HA cluster as "3/3 Ready · HA"', () => {
    const summary = summarizeHealth('connected', 'ha', mergeNodes(spec, all));
    assert.deepEqual(
      [summary.health, summary.description, summary.notReadyCount],
      ['healthy', '3/3 Ready · HA', 0],
    );
  });

  it('is degraded with one node NotReady and keeps quorum', () => {
    const api = all.map((n, i) => (i === 2 ? { ...n, ready: false } : n));
    const summary = summarizeHealth('connected', 'ha', mergeNodes(spec, api));
    assert.deepEqual(
      [summary.health, summary.description, summary.notReadyCount],
      ['degraded', '2/3 Ready · HA degraded', 1],
    );
  });

  it('reports lost HA when a majority is down', () => {
    const api = all.map((n, i) => (i > 0 ? { ...n, ready: false } : n));
    assert.equal(
      summarizeHealth('connected', 'ha', mergeNodes(spec, api)).description,
      '1/3 Ready · HA lost',
    );
  });

  it('counts a spec node that has not joined as degraded', () => {
    const summary = summarizeHealth('connected', 'ha', mergeNodes(spec, all.slice(0, 2)));
    assert.equal(summary.health, 'degraded');
    assert.equal(summary.description, '2/3 Ready · HA degraded');
  });

  it('says "not joined: 0 of 3" for fresh VMs (node 1 answers under its OVA name, alone)', () => {
    const fresh = mergeNodes(spec, [apiNode('gateway-node', '10.250.0.11')]);
    assert.deepEqual(
      fresh.map((n) => [n.name, n.status]),
      [
        ['gw-1', 'notRenamed'],
        ['gw-2', 'notJoined'],
        ['gw-3', 'notJoined'],
      ],
    );
    const summary = summarizeHealth('connected', 'ha', fresh);
    assert.deepEqual([summary.health, summary.description], ['notBuilt', 'not joined: 0 of 3']);
  });

  it('names the connection state before it is connected', () => {
    const merged = mergeNodes(spec, undefined);
    assert.equal(summarizeHealth('disconnected', 'ha', merged).description, 'not connected · HA');
    assert.equal(summarizeHealth('connecting', 'single-node', merged).health, 'connecting');
    assert.deepEqual(
      [
        summarizeHealth('unreachable', undefined, merged).health,
        summarizeHealth('unreachable', undefined, merged).description,
      ],
      ['unreachable', 'API unreachable'],
    );
  });

  it('describes a single-node cluster without HA', () => {
    const one = specNodes(1);
    const summary = summarizeHealth(
      'connected',
      'single-node',
      mergeNodes(one, [apiNode('gw-1', '10.250.0.11')]),
    );
    assert.equal(summary.description, '1/1 Ready · single node');
  });
});
