// The load-balanced wizards' parts: the drill's report as the panel's timeline, and the new inputs' checks.
import assert from 'node:assert/strict';
import type { LbDrillReport } from '../../../src/ops';
import { lbTimelineView } from '../../../src/wizards/lb-timeline';
import { normalizeInput, validateInput } from '../../../src/wizards/protocol';
import { initialView } from '../../../src/wizards/state';

describe('wizards: the load-balanced topology', () => {
  it("titles the drill's panel as its command does: a gateway's failure, not a node's", () => {
    const info = { cluster: 'lab-mgw', specLabel: 'cluster.yaml', node: 'mgw-2' };
    assert.equal(
      initialView('drill', { ...info, topology: 'load-balanced' }).title,
      'Gateway-Failure Drill — mgw-2 of lab-mgw',
    );
    assert.equal(
      initialView('drill', { ...info, topology: 'ha' }).title,
      'Node-Failure Drill — mgw-2 of lab-mgw',
    );
  });

  it("shows the drill's report as a timeline from the stop, with what governs the times", () => {
    const report: LbDrillReport = {
      node: 'mgw-2',
      interMs: 2000,
      fall: 3,
      rise: 2,
      entries: [
        { kind: 'stopped', at: 10_000, label: 'mgw-2: gateway stopped' },
        { kind: 'failing', at: 11_200, label: 'first failed check (L4CON) after 1.20 s' },
        { kind: 'down', at: 15_300, label: 'DOWN after 5.30 s' },
      ],
      client: { ok: 120, failed: 0, failedAt: [] },
    };
    const view = lbTimelineView(report);
    assert.deepEqual(
      view.entries.map((e) => [e.kind, e.offset]),
      [
        ['stopped', '+0 ms'],
        ['failing', '+1.2 s'],
        ['down', '+5.3 s'],
      ],
    );
    assert.match(view.explanation[0]!, /every 2\.0 s \(interMs\) and marks it DOWN after 3 failed checks/);
    assert.equal(view.outcome, '120 of 120 connections through the load balancer succeeded');
  });

  it('checks the install key and the gateway password for what a response file can carry', () => {
    assert.equal(validateInput('installKey', 'Mi1Sb2xAa3k='), undefined);
    assert.match(validateInput('installKey', 'two words') ?? '', /no spaces/);
    assert.match(validateInput('agentInstallKey', 'back\\slash') ?? '', /backslashes/);
    assert.equal(normalizeInput('installKey', '  key-from-the-console\n'), 'key-from-the-console');
    assert.equal(validateInput('gatewayPassword', 'p@ss $(x) "y"'), undefined);
    assert.match(validateInput('gatewayPassword', 'line\nbreak') ?? '', /line break/);
    assert.match(validateInput('gatewayPassword', ' padded') ?? '', /starts or ends with a space/);
  });
});
