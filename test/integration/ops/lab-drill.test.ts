// The node-failure drill against a deployed 3-node lab at time scale 0.01 (grace period 0.5 s, tolerations
// 3 s): the node that runs the Gateway Manager stops, turns NotReady, its pods are evicted and replaced, the
// Gateway Manager answers again, MicroK8s starts again and the node returns; the timeline says what governs
// each delay. A cancel in the middle still starts the node again; so does a drill whose SSH connection drops
// (retried until the node answers).
import assert from 'node:assert/strict';
import { DRILL_TIMELINE, sinceStop } from '../../../src/ops';
import type { DrillTimeline, RunResult } from '../../../src/ops';
import { waitFor } from '../../support/wait-for';
import { commandsOf, startOpsLab, stepStates } from './support/ops-lab';
import type { OpsLab } from './support/ops-lab';

const timelineOf = (r: RunResult) => r.shared.get(DRILL_TIMELINE) as DrillTimeline;
const kinds = (timeline: DrillTimeline) => timeline.entries.map((e) => e.kind);

describe('ops against the lab: the node-failure drill', function () {
  this.timeout(180_000);
  let t: OpsLab;

  before(async function () {
    this.timeout(120_000);
    t = await startOpsLab('gclabdrl', {
      nodes: 3,
      state: 'deployed',
      subnetPrefix: '10.250.18',
      timeScale: 0.01,
    });
  });

  after(async function () {
    this.timeout(60_000);
    await t?.close();
  });

  async function allReady(): Promise<void> {
    await waitFor(
      async () => {
        const s = await t.lab.snapshot();
        return s.nodes.every((n) => n.ready) && s.pods.every((p) => p.ready && !p.terminating);
      },
      { what: 'every node and pod Ready', timeoutMs: 20_000 },
    );
  }

  /** The node that runs the Gateway Manager's Deployment pod now. */
  async function managerNode(): Promise<string> {
    const s = await t.lab.snapshot();
    return s.pods.find(
      (p) => p.name.startsWith('gateway-manager-') && !p.name.startsWith('gateway-manager-redis-'),
    )!.nodeName;
  }

  it("times detection and recovery on the Gateway Manager's node and explains them", async () => {
    const node = await managerNode();
    const reports: DrillTimeline[] = [];
    const off = t.onEvent((e) => {
      if (e.type === 'report' && e.key === DRILL_TIMELINE) reports.push(e.value as DrillTimeline);
    });
    const r = await t.run(t.engine.plan('drill', t.model, { node }));
    off();
    assert.equal(r.outcome, 'succeeded', r.error?.message);
    const timeline = timelineOf(r);
    assert.deepEqual(
      kinds(timeline).filter((k) => k !== 'replaced'),
      [
        'stop',
        'notReady',
        'evicted',
        'recovered',
        ...(timeline.stateful.length ? ['waiting'] : []),
        'start',
        'ready',
        ...(timeline.stateful.length ? ['statefulBack'] : []),
      ],
    );
    assert.ok(timeline.moved.some((name) => name.startsWith('gateway-manager-')));
    assert.ok(kinds(timeline).includes('replaced'));
    // Scaled: heartbeats every 100 ms, grace 500 ms, checked every 50 ms; tolerations 3 s.
    const detect = sinceStop(timeline, 'notReady')!;
    assert.ok(detect >= 300 && detect < 2500, `NotReady after ${detect} ms`);
    const evict = sinceStop(timeline, 'evicted', 'notReady')!;
    assert.ok(evict >= 2800 && evict < 6000, `evicted ${evict} ms after NotReady`);
    assert.equal(timeline.outcome, 'recovered');
    assert.match(timeline.explanation!.join('\n'), /node monitor grace period/);
    assert.match(timeline.explanation!.join('\n'), /300 s \(the DefaultTolerationSeconds admission plugin\)/);
    // Live: the timeline was reported as it grew.
    assert.ok(reports.length >= 5);
    assert.deepEqual(commandsOf(r, node), ['microk8s stop', 'microk8s status', 'microk8s start']);
    await allReady();
  });

  it('a cancel in the middle still starts MicroK8s again: the node comes back', async () => {
    await allReady();
    const node = await managerNode();
    const abort = new AbortController();
    const off = t.onEvent((e) => {
      if (e.type === 'stepStarted' && e.step === 'detect' && !e.node) abort.abort();
    });
    const r = await t.run(t.engine.plan('drill', t.model, { node }), { signal: abort.signal });
    off();
    assert.equal(r.outcome, 'cancelled', r.error?.message);
    const states = stepStates(r);
    assert.deepEqual(
      [states.stop, states.detect, states.recover, states.start, states.return, states.report],
      ['succeeded', 'cancelled', 'pending', 'succeeded', 'pending', 'succeeded'],
    );
    assert.deepEqual(kinds(timelineOf(r)), ['stop', 'start']);
    assert.equal(timelineOf(r).outcome, 'cancelled');
    await allReady();
  });

  it('an SSH drop during the drill: the start is retried until the node answers, and says so', async () => {
    await allReady();
    const node = await managerNode();
    const index = t.model.nodes.findIndex((n) => n.hostname === node) + 1;
    const lines: string[] = [];
    const off = t.onEvent((e) => {
      if (e.type === 'stepStarted' && e.step === 'detect' && !e.node)
        void t.lab.inject({ kind: 'killSshd', node: index });
      if (e.type === 'output' && e.step === 'start') {
        lines.push(e.line);
        if (
          /does not answer over SSH/.test(e.line) &&
          lines.filter((l) => /does not answer/.test(l)).length === 2
        )
          void t.lab.inject({ kind: 'startSshd', node: index });
      }
    });
    const r = await t.run(t.engine.plan('drill', t.model, { node }));
    off();
    assert.equal(r.outcome, 'succeeded', r.error?.message);
    assert.ok(
      lines.filter((l) => /does not answer over SSH; trying again in/.test(l)).length >= 2,
      lines.join('\n'),
    );
    assert.equal(stepStates(r).start, 'succeeded');
    assert.ok(kinds(timelineOf(r)).includes('ready'));
    await allReady();
  });
});
