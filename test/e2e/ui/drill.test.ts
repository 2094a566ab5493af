// The node-failure drill as a user runs it in the browser, against a deployed 3-node lab whose Kubernetes
// timings run at 1/100 (a stopped node is NotReady after about 0.5 s, its pods are evicted 3 s later): from
// the node's context menu in the Clusters view, the drill panel's live timeline grows (NotReady, evictions,
// replacements Ready, the Gateway Manager back, the node back) while the node's row says what runs on it;
// the panel ends with what governs each delay. Saves the screenshot docs/wizards.md shows.
import assert from 'node:assert/strict';
import { answerHostKeys, publishScreenshot, ui, useSuiteLab, wizardFrame } from './fixture';
import { waitFor } from '../../support/wait-for';
import { openClustersView, treeRow, waitForDescription } from './tree-helpers';

const LAB = { name: 'gclabuid', subnetPrefix: '10.250.19' } as const;
const CLUSTER = 'lab-gateways';
const RUN_TIMEOUT = 120_000;

describe('the node-failure drill in the browser, from the node’s menu', function () {
  this.timeout(400_000);
  const suiteLab = useSuiteLab(LAB.name, {
    nodes: 3,
    state: 'deployed',
    subnetPrefix: LAB.subnetPrefix,
    timeScale: 0.01,
  });

  it('runs the drill with its live timeline and the node’s row showing the operation', async () => {
    const { page } = ui();
    const { info, lab } = { info: suiteLab.info, lab: suiteLab.lab };
    const cluster = await openClustersView(CLUSTER);
    // Start asks first, naming the node it stops and for how long: the test answers the drill's button.
    const hostKeys = answerHostKeys(info.nodes, [
      { message: /^Stop MicroK8s on .+ for the drill\?$/, button: 'Node-Failure Drill' },
    ]);
    let node: string | undefined;
    try {
      await cluster.hover();
      await cluster.locator('.actions .action-label[aria-label^="Connect"]').click({ timeout: 30_000 });
      await waitForDescription(cluster, /(^|· )3\/3 Ready · HA$/);

      // The node that runs the Gateway Manager: its pods have to come back elsewhere.
      const snapshot = await lab.snapshot();
      const manager = snapshot.pods.find(
        (p) => p.name.startsWith('gateway-manager-') && !p.name.startsWith('gateway-manager-redis-'),
      )!;
      node = manager.nodeName;
      const row = treeRow(node);
      await waitForDescription(row, /^Ready · control-plane · /);
      const frame = wizardFrame();
      const title = frame.locator('#title', {
        hasText: `Node-Failure Drill — ${manager.nodeName} of ${CLUSTER}`,
      });
      // The workbench's menus act on mouse-up over a highlighted item: highlight it, then Enter. A menu that
      // closed before the Enter landed (a tree refresh under it) is opened again.
      for (let attempt = 1; ; attempt++) {
        await row.click({ button: 'right' });
        const item = page.locator('.monaco-menu .action-label', { hasText: 'Node-Failure Drill…' });
        await item.waitFor({ state: 'visible', timeout: 30_000 });
        await item.hover();
        await page.keyboard.press('Enter');
        const opened = await title.waitFor({ timeout: 20_000 }).then(
          () => true,
          () => false,
        );
        if (opened) break;
        if (attempt === 3) throw new Error('the Node-Failure Drill panel did not open from the node menu');
        await page.keyboard.press('Escape');
      }
      await frame.locator('vscode-button#start').click();
      await waitFor(() => hostKeys.answered.length === 1, {
        timeoutMs: 30_000,
        what: "the drill's confirmation",
      });
      assert.match(
        hostKeys.answered[0]!,
        new RegExp(
          `^Stop MicroK8s on ${manager.nodeName} of ${CLUSTER} for the drill\\?\\n.*about 6 minutes`,
        ),
      );

      // While it runs, the node's row names the operation and its step.
      await waitForDescription(row, /^Node-Failure Drill: .+ \(\d\/8\) · /, 60_000);
      // The timeline grows live: NotReady first, then the recovery.
      await frame
        .locator('#drill-timeline .timeline-entry[data-kind="notReady"]')
        .waitFor({ timeout: RUN_TIMEOUT });
      await frame
        .locator('#drill-timeline .timeline-entry[data-kind="recovered"]')
        .waitFor({ timeout: RUN_TIMEOUT });
      await frame.locator('#phase', { hasText: /^succeeded$/ }).waitFor({ timeout: RUN_TIMEOUT });
    } finally {
      await hostKeys.stop();
    }
    const frame = wizardFrame();
    const kinds = await frame
      .locator('#drill-timeline .timeline-entry')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    for (const kind of ['stop', 'notReady', 'evicted', 'replaced', 'recovered', 'start', 'ready'])
      assert.ok(kinds.includes(kind), `${kind} in ${kinds.join(',')}`);
    const explanation = await frame.locator('.timeline-explanation').innerText();
    assert.match(explanation, /node monitor grace period/);
    assert.match(explanation, /DefaultTolerationSeconds/);
    await waitForDescription(treeRow(node!), /^Ready · /);
    // The README's picture: the panel with its timeline, the tree beside it.
    await frame
      .locator('#drill-timeline')
      .scrollIntoViewIfNeeded({ timeout: 5000 })
      .catch(() => undefined);
    await page.mouse.move(900, 700);
    await page.waitForTimeout(300);
    const shot = await ui().screenshot('wizard-drill');
    publishScreenshot(shot, 'screenshot-wizard-drill.png');
  });
});
