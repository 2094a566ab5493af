// The two output formats over the engine's events: text (plain lines without a terminal, live lines with
// elapsed times on one) and json (one object per line, the contract's fields).
import assert from 'node:assert/strict';
import { JsonOutput } from '../../../src/cli/json-output';
import type { LiveClock } from '../../../src/cli/live-lines';
import type { OutStream, RunSummary } from '../../../src/cli/output';
import { TextOutput } from '../../../src/cli/text-output';
import type { FailureInfo, RunEvent } from '../../../src/ops';

class Captured implements OutStream {
  text = '';
  constructor(
    readonly isTTY = false,
    readonly columns = 80,
  ) {}
  write(text: string) {
    this.text += text;
    return true;
  }
}

class FakeLiveClock implements LiveClock {
  ms = 0;
  ticks: Array<() => void> = [];
  now = () => this.ms;
  every(_ms: number, tick: () => void) {
    this.ticks.push(tick);
    return { stop: () => (this.ticks = this.ticks.filter((t) => t !== tick)) };
  }
  advance(ms: number) {
    this.ms += ms;
    for (const tick of this.ticks) tick();
  }
}

const failure: FailureInfo = {
  step: 'join',
  stepTitle: 'Join nodes to the cluster',
  node: 'gw-3',
  command: 'microk8s join 10.0.0.11:25000/••••/abc',
  exitCode: 1,
  message: 'The command exited with 1.',
  outputTail: ['error: no route'],
  hint: 'Check gw-3, then resume.',
};

const base = { runId: 'r1', at: 0 };
const events: RunEvent[] = [
  {
    ...base,
    type: 'runStarted',
    operation: 'join',
    cluster: 'lab',
    steps: [
      { id: 'kubeconfig', title: 'Fetch the cluster kubeconfig' },
      { id: 'join', title: 'Join nodes to the cluster', nodes: ['gw-2', 'gw-3'] },
    ],
  },
  { ...base, type: 'stepStarted', step: 'kubeconfig' },
  {
    ...base,
    type: 'command',
    step: 'kubeconfig',
    node: 'gw-1',
    command: 'microk8s config',
    sudo: false,
    seq: 1,
  },
  { ...base, type: 'skipped', step: 'kubeconfig', reason: 'a stored kubeconfig reaches the API' },
  { ...base, type: 'stepStarted', step: 'join' },
  { ...base, type: 'stepStarted', step: 'join', node: 'gw-2' },
  {
    ...base,
    type: 'output',
    step: 'join',
    node: 'gw-2',
    stream: 'stdout',
    line: 'Contacting cluster',
    seq: 2,
  },
  {
    ...base,
    type: 'succeeded',
    step: 'join',
    node: 'gw-2',
    durationMs: 1234,
    summary: 'gw-2 joined\nand Ready',
  },
  { ...base, type: 'stepStarted', step: 'join', node: 'gw-3' },
  { ...base, type: 'failed', step: 'join', node: 'gw-3', durationMs: 45_600, failure },
  { ...base, type: 'failed', step: 'join', durationMs: 46_900, failure },
];
const summary: RunSummary = {
  operation: 'join',
  cluster: 'lab',
  outcome: 'failed',
  durationMs: 125_000,
  transcript: '/ws/.gateway-cluster/runs/r1.json',
  failure,
  resumable: true,
};

describe('cli/output', () => {
  it('text without a terminal: a header, one plain line per step event, the failure on stderr', () => {
    const stdout = new Captured();
    const stderr = new Captured();
    const out = new TextOutput({ stdout, stderr });
    for (const e of events) out.event(e);
    out.finished(summary);
    assert.equal(
      stdout.text,
      [
        'join on cluster lab: 2 steps',
        'started   1/2 Fetch the cluster kubeconfig',
        'skipped   1/2 Fetch the cluster kubeconfig — a stored kubeconfig reaches the API',
        'started   2/2 Join nodes to the cluster',
        'started   2/2 Join nodes to the cluster · gw-2',
        'succeeded 2/2 Join nodes to the cluster · gw-2 (1.2 s) — gw-2 joined; and Ready',
        'started   2/2 Join nodes to the cluster · gw-3',
        'failed    2/2 Join nodes to the cluster · gw-3 (46 s) — The command exited with 1.',
        'failed    2/2 Join nodes to the cluster (47 s) — The command exited with 1.',
        'join failed in 2 min 05 s; transcript: /ws/.gateway-cluster/runs/r1.json',
        '',
      ].join('\n'),
    );
    assert.equal(
      stderr.text,
      [
        '',
        'Step "Join nodes to the cluster" failed on gw-3: The command exited with 1.',
        'Command: microk8s join 10.0.0.11:25000/••••/abc (exit 1)',
        'Output (last lines):',
        '  error: no route',
        'What to do: Check gw-3, then resume.',
        'Run the same command again to resume: what is done is skipped.',
        '',
      ].join('\n'),
    );
  });

  it('text on a terminal: running steps and nodes are live lines with elapsed times, redrawn in place', () => {
    const stdout = new Captured(true, 60);
    const stderr = new Captured();
    const clock = new FakeLiveClock();
    const out = new TextOutput({ stdout, stderr }, clock);
    out.event(events[0]!);
    out.event(events[4]!); // the join step itself: its nodes show, not it
    assert.equal(stdout.text, 'join on cluster lab: 2 steps\n');
    out.event(events[5]!);
    assert.ok(stdout.text.endsWith('  … 2/2 Join nodes to the cluster · gw-2  0.0 s\n'));
    clock.advance(12_345);
    assert.ok(stdout.text.endsWith('\r\x1b[1A\x1b[J  … 2/2 Join nodes to the cluster · gw-2  12 s\n'));
    out.event(events[7]!);
    assert.ok(
      stdout.text.endsWith(
        '\r\x1b[1A\x1b[Jsucceeded 2/2 Join nodes to the cluster · gw-2 (1.2 s) — gw-2 joined; and Ready\n',
      ),
    );
    assert.equal(clock.ticks.length, 0, 'no redraw while nothing runs');
    // A long label is cut to the width, keeping the elapsed time.
    out.event({ ...base, type: 'stepStarted', step: 'join', node: 'gw-3-with-a-very-long-hostname-indeed' });
    const live = stdout.text.split('\n').at(-2)!;
    assert.equal(live.length, 59);
    assert.match(live, /… {2}0\.0 s$/);
    // A question takes the live lines off the terminal and draws them again after.
    let during = '';
    return out
      .aside(async () => {
        during = stdout.text;
      })
      .then(() => {
        assert.ok(during.endsWith('\r\x1b[1A\x1b[J'));
        assert.ok(stdout.text.endsWith('  0.0 s\n'));
        out.close();
        assert.ok(stdout.text.endsWith('\r\x1b[1A\x1b[J'));
      });
  });

  it('json: one object per line with the contract’s fields; the failure also on stderr', () => {
    const stdout = new Captured();
    const stderr = new Captured();
    const out = new JsonOutput({ stdout, stderr });
    for (const e of events) out.event(e);
    out.finished({ ...summary, next: 'Put the sudo password in the secrets file.' });
    out.error(4, 'join is already running');
    const lines = stdout.text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines[0], {
      event: 'run',
      operation: 'join',
      cluster: 'lab',
      steps: [
        { step: 'kubeconfig', title: 'Fetch the cluster kubeconfig', nodes: null },
        { step: 'join', title: 'Join nodes to the cluster', nodes: ['gw-2', 'gw-3'] },
      ],
    });
    assert.deepEqual(lines[1], {
      event: 'step',
      step: 'kubeconfig',
      title: 'Fetch the cluster kubeconfig',
      node: null,
      status: 'started',
      message: null,
      durationMs: null,
    });
    assert.deepEqual(lines[2], {
      event: 'command',
      step: 'kubeconfig',
      node: 'gw-1',
      command: 'microk8s config',
      sudo: false,
    });
    assert.deepEqual(lines[6], {
      event: 'output',
      step: 'join',
      node: 'gw-2',
      stream: 'stdout',
      line: 'Contacting cluster',
    });
    assert.deepEqual(lines[7], {
      event: 'step',
      step: 'join',
      title: 'Join nodes to the cluster',
      node: 'gw-2',
      status: 'succeeded',
      message: 'gw-2 joined\nand Ready',
      durationMs: 1234,
    });
    assert.deepEqual(
      lines.map((l) => [l.event, l.status ?? l.outcome ?? l.exitStatus ?? null]),
      [
        ['run', null],
        ['step', 'started'],
        ['command', null],
        ['step', 'skipped'],
        ['step', 'started'],
        ['step', 'started'],
        ['output', null],
        ['step', 'succeeded'],
        ['step', 'started'],
        ['step', 'failed'],
        ['step', 'failed'],
        ['finished', 'failed'],
        ['error', 4],
      ],
    );
    const finished = lines[11]!;
    assert.equal(finished.transcript, '/ws/.gateway-cluster/runs/r1.json');
    assert.equal((finished.failure as FailureInfo).hint, 'Put the sudo password in the secrets file.');
    assert.match(
      stderr.text,
      /^Step "Join nodes to the cluster" failed on gw-3: .*\nWhat to do: Put the sudo password/s,
    );
    assert.match(stderr.text, /gateway-cluster: join is already running\n$/);
  });
});
