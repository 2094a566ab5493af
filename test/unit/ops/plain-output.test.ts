import assert from 'node:assert/strict';
import { MemoryTranscriptSink, OperationsEngine, type RunEvent } from '../../../src/ops';
import { plainOutputLine } from '../../../src/ops/runner/plain-output';
import { Masker } from '../../../src/remote/masker';
import { FakeCluster, labModel } from './fake-cluster';

describe("ops: a command's output lines shown as plain text", () => {
  it('drops colours, cursor codes, OSC titles and stray control characters; keeps tabs and text', () => {
    // What `microk8s inspect` prints for a stopped service.
    assert.equal(
      plainOutputLine('\x1b[31m FAIL: \x1b[0m Service snap.microk8s.daemon-kubelite is not running'),
      ' FAIL:  Service snap.microk8s.daemon-kubelite is not running',
    );
    assert.equal(plainOutputLine('\x1b[1;32mOK\x1b[m\tdone\r'), 'OK\tdone');
    assert.equal(plainOutputLine('\x1b]0;title\x07progress \x1b[2K\x1b[1Gnext'), 'progress next');
    assert.equal(plainOutputLine('plain [31m text'), 'plain [31m text');
  });

  it('shows and records the plain line, in the events and the transcript', async () => {
    const model = labModel(3);
    const fake = new FakeCluster(model, 'fresh');
    const events: RunEvent[] = [];
    const sink = new MemoryTranscriptSink();
    const masker = new Masker();
    const engine = new OperationsEngine({
      nodes: fake,
      secrets: fake,
      kubeconfig: fake.kubeconfigStore(masker),
      api: fake.apiSource(),
      masker,
      sink,
      onEvent: (e) => events.push(e),
    });
    fake.failNext('gw-2', 'hostnamectl', 0, '\x1b[33mWARNING:\x1b[0m hostname changed');
    const r = await engine.run(engine.fix(model, [{ kind: 'setHostname', node: 'gw-2', hostname: 'gw-2' }]));
    const lines = events.flatMap((e) => (e.type === 'output' ? [e.line] : []));
    assert.ok(lines.includes('WARNING: hostname changed'), lines.join('\n'));
    const recorded = r.transcript.commands.flatMap((c) => c.output);
    assert.ok(recorded.includes('WARNING: hostname changed'), recorded.join('\n'));
    assert.ok(!JSON.stringify([events, r.transcript]).includes('\\u001b'));
  });
});
