import assert from 'node:assert/strict';
import {
  deriveClusterState,
  mergeNodes,
  summarizeHealth,
  worstState,
  type ClusterState,
  type RunSummary,
  type StateInput,
} from '../../../src/tree/core';
import { apiNode, specNodes } from './fixtures';

describe("tree model: a cluster's state", () => {
  const spec = specNodes(3);
  const all = spec.map((s) => apiNode(s.hostname, s.address));
  const deployed = new Map([
    ['gateway-persistent-storage', 'deployed'],
    ['gateway-manager', 'deployed'],
  ]);
  const run = (operation: string, outcome: RunSummary['outcome'], failedStep?: string): RunSummary => ({
    runId: `${operation}-${outcome}`,
    operation,
    title: operation === 'deploy' ? 'Deploy Gateway Services' : operation,
    outcome,
    ...(failedStep ? { failedStep } : {}),
  });
  const input = (over: Partial<StateInput> = {}): StateInput => {
    const nodes = mergeNodes(spec, over.connection === 'disconnected' ? undefined : all);
    return {
      connection: 'connected',
      health: summarizeHealth(over.connection ?? 'connected', 'ha', nodes),
      nodes,
      runs: [],
      releases: new Map(),
      ...over,
    };
  };
  const label = (over: Partial<StateInput>) => deriveClusterState(input(over)).label;

  it('goes Not built → Joined → Running → Registered with what the cluster runs', () => {
    const fresh = mergeNodes(spec, [apiNode('gateway-node', '10.0.0.9')]);
    assert.equal(label({ nodes: fresh, health: summarizeHealth('connected', 'ha', fresh) }), 'Not built');
    assert.equal(label({}), 'Joined');
    assert.equal(label({ releases: deployed }), 'Running');
    assert.equal(label({ releases: deployed, registration: 'connected' }), 'Registered');
  });

  it('is Not built as a reset leaves it: the first node alone, no gateway release', () => {
    const alone = mergeNodes(spec, [all[0]!]);
    const health = summarizeHealth('connected', 'ha', alone);
    assert.equal(label({ nodes: alone, health, releases: new Map() }), 'Not built');
    // With a gateway release left, or a second node still joined, something is built: Degraded says what.
    assert.match(label({ nodes: alone, health, releases: deployed }), /^Degraded: gw-2, gw-3 not joined/);
    const two = mergeNodes(spec, all.slice(0, 2));
    assert.equal(
      label({ nodes: two, health: summarizeHealth('connected', 'ha', two) }),
      'Degraded: gw-3 not joined',
    );
  });

  it('says Joining or Deploying while this editor runs the operation, with its step', () => {
    assert.equal(
      label({ running: { operation: 'join', title: 'Join Nodes', step: 'Join nodes to the cluster' } }),
      'Joining (Join nodes to the cluster)',
    );
    assert.equal(label({ running: { operation: 'deploy', title: 'Deploy' } }), 'Deploying');
    assert.equal(label({ running: { operation: 'drill', title: 'Drill' }, releases: deployed }), 'Running');
  });

  it('is Degraded with what is wrong', () => {
    const down = all.map((n, i) => (i === 1 ? { ...n, ready: false } : n));
    const nodes = mergeNodes(spec, down);
    assert.equal(
      label({
        nodes,
        health: summarizeHealth('connected', 'ha', nodes),
        releases: new Map([...deployed, ['gateway-manager', 'failed']]),
        registration: 'failed',
      }),
      'Degraded: gw-2 NotReady; gateway-manager failed; registration failed',
    );
    assert.equal(label({ connection: 'unreachable' }), 'Degraded');
    assert.equal(
      label({ releases: new Map([['gateway-manager', 'deployed']]) }),
      'Degraded: gateway-persistent-storage not installed',
    );
  });

  it('is Failed with the failed step until a later run of a building operation succeeds', () => {
    const failed = deriveClusterState(
      input({
        releases: deployed,
        runs: [run('join', 'succeeded'), run('deploy', 'failed', 'Install the Gateway Manager chart')],
      }),
    );
    assert.equal(failed.label, 'Failed: Deploy Gateway Services — Install the Gateway Manager chart');
    assert.deepEqual(failed.failedRun, { runId: 'deploy-failed', operation: 'deploy' });
    // A failed check or drill is no failed build; a later success clears it.
    assert.equal(
      label({
        releases: deployed,
        runs: [run('deploy', 'failed'), run('deploy', 'succeeded'), run('validate-cluster', 'failed')],
      }),
      'Running',
    );
  });

  it('leaves the state as the live cluster says after a failed run that changed nothing (a refused delete)', () => {
    const refused: RunSummary = { ...run('delete', 'failed', 'Find what there is to undo'), changed: false };
    const registered = { releases: deployed, registration: 'connected' };
    assert.equal(label({ ...registered, runs: [run('deploy', 'succeeded'), refused] }), 'Registered');
    // Not connected, the last run that tells is the deploy, not the refused delete (no "Not built").
    const offline = deriveClusterState(
      input({ connection: 'disconnected', runs: [run('deploy', 'succeeded'), refused] }),
    );
    assert.deepEqual([offline.kind, offline.fromRuns], ['running', true]);
    // An earlier failure that changed things still shows.
    assert.match(
      label({ ...registered, runs: [run('deploy', 'failed', 'Install the chart'), refused] }),
      /^Failed: Deploy Gateway Services — Install the chart$/,
    );
    // A failed run that changed something, and an entry older than the field, are Failed as before.
    assert.match(label({ ...registered, runs: [{ ...refused, changed: true }] }), /^Failed: delete/);
    assert.match(label({ ...registered, runs: [run('delete', 'failed', 'x')] }), /^Failed: delete — x$/);
  });

  it('tells from the last runs while not connected', () => {
    const state = deriveClusterState(
      input({ connection: 'disconnected', runs: [run('join', 'succeeded'), run('deploy', 'succeeded')] }),
    );
    assert.deepEqual([state.kind, state.fromRuns], ['running', true]);
    assert.equal(label({ connection: 'disconnected' }), 'not connected');
  });

  it('never counts a run without an outcome (still running, or its editor died) as a success', () => {
    // Register running (its index entry has no outcome yet) after a deploy: not Registered, which the
    // Gateway Manager may yet refuse; the deploy's success still tells.
    const registering = [run('deploy', 'succeeded'), run('register', undefined)];
    const state = deriveClusterState(
      input({
        connection: 'disconnected',
        runs: registering,
        running: { operation: 'register', title: 'Register' },
      }),
    );
    assert.deepEqual([state.kind, state.label], ['running', 'Running']);
    assert.equal(label({ connection: 'disconnected', runs: [run('register', undefined)] }), 'not connected');
  });

  it('picks the worst state for the status bar', () => {
    const of = (kind: ClusterState['kind']): ClusterState => ({ kind, label: kind });
    assert.equal(worstState([of('registered'), of('joined'), of('running')])?.kind, 'joined');
    assert.equal(worstState([of('notBuilt'), of('degraded'), of('registered')])?.kind, 'degraded');
    assert.equal(worstState([of('degraded'), of('failed')])?.kind, 'failed');
    assert.equal(worstState([]), undefined);
  });
});
