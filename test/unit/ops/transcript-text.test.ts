import assert from 'node:assert/strict';
import { renderTranscript } from '../../../src/ops';
import type { TranscriptRecord } from '../../../src/ops';

const at = Date.UTC(2026, 11, 5, 13, 3, 12);

const record: TranscriptRecord = {
  version: 1,
  runId: '2026-12-05T13-03-12-000Z-join',
  operation: 'join',
  cluster: 'lab',
  dryRun: false,
  startedAt: at,
  finishedAt: at + 5400,
  durationMs: 5400,
  outcome: 'failed',
  steps: [
    {
      id: 'preflight',
      title: 'Preflight checks',
      state: 'succeeded',
      durationMs: 1234.5678,
      nodes: { 'gw-1': { state: 'succeeded', durationMs: 400, summary: 'all checks passed' } },
      log: ['[gw-1] warning: clock not synchronised'],
    },
    {
      id: 'join',
      title: 'Join nodes to the cluster',
      state: 'failed',
      durationMs: 2000,
      nodes: { 'gw-2': { state: 'failed', durationMs: 2000 } },
      log: [],
    },
  ],
  commands: [
    {
      seq: 1,
      step: 'preflight',
      node: 'gw-1',
      command: 'hostname',
      sudo: false,
      startedAt: at + 10,
      durationMs: 12,
      exitCode: 0,
      output: ['gw-1'],
    },
    {
      seq: 2,
      step: 'join',
      node: 'gw-2',
      command: 'microk8s join 10.0.0.11:25000/••••',
      sudo: false,
      startedAt: at + 2000,
      durationMs: 2000,
      exitCode: 6,
      output: ['Connection failed. Invalid token (500).'],
    },
    {
      seq: 3,
      step: 'preflight',
      node: 'gw-1',
      command: 'microk8s status',
      sudo: false,
      startedAt: at + 11,
      durationMs: 300,
      exitCode: 0,
      output: ['microk8s is running'],
    },
  ],
  failure: {
    step: 'join',
    stepTitle: 'Join nodes to the cluster',
    node: 'gw-2',
    command: 'microk8s join 10.0.0.11:25000/••••',
    exitCode: 6,
    message: 'gw-1 refused the join',
    outputTail: ['Connection failed. Invalid token (500).'],
    hint: 'Resume: a fresh single-use token is issued for every attempt.',
  },
};

describe('ops: the readable transcript', () => {
  it('shows local times, readable durations, the steps with their nodes and each command with its own output', () => {
    const text = renderTranscript(record, 'Europe/Berlin');
    assert.match(text, /^join — cluster lab\nStarted 2026-12-05 14:03:12, FAILED after 5\.4 s\n/);
    assert.match(text, /Failed: Join nodes to the cluster on gw-2: gw-1 refused the join/);
    assert.match(
      text,
      /1\. Preflight checks — succeeded \(1\.2 s\)\n {3}gw-1: succeeded \(400 ms\) — all checks passed/,
    );
    assert.doesNotMatch(text, /1234\.56|1765/, 'no raw milliseconds or epoch numbers');
    const hostname = text.indexOf('gw-1$ hostname');
    const status = text.indexOf('gw-1$ microk8s status');
    assert.ok(hostname > 0 && status > hostname, 'the step’s commands, in order');
    assert.ok(text.indexOf('| gw-1') < status, 'hostname’s output right under it');
    assert.match(
      text,
      /gw-2\$ microk8s join 10\.0\.0\.11:25000\/••••\n {6}→ exit 6, 2\.0 s\n {6}\| Connection failed/,
    );
  });
});
