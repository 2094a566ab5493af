// The load balancer in the Clusters view, in the browser, against a configured load-balanced lab (real
// haproxy): the cluster shows its load balancer; expanding it reads the runtime API (after the host key is
// trusted) and shows the frontends and each gateway's state; a gateway whose service stops turns DOWN, then
// UP when it starts again. Saves docs/screenshot-lb-tree.png (the README shows it) while one gateway is DOWN.
import { publishScreenshot, ui, useSuiteLab } from './fixture';
import {
  inlineAction,
  openClustersView,
  treeRow,
  trustHostKey,
  waitForDescription,
  widenSideBar,
} from './tree-helpers';

const LAB = { name: 'gclbui', subnetPrefix: '10.250.65' } as const;
const CLUSTER = 'lab-mgw';

describe('the load balancer in the Clusters view', function () {
  this.timeout(300_000);
  const suiteLab = useSuiteLab(LAB.name, {
    topology: 'load-balanced',
    nodes: 3,
    agents: 0,
    state: 'configured',
    subnetPrefix: LAB.subnetPrefix,
  });

  it('shows each gateway UP, DOWN when its service stops, UP again when it starts', async () => {
    const { page } = ui();
    const { info, lab } = suiteLab;
    const cluster = await openClustersView(CLUSTER);
    await waitForDescription(cluster, /^load-balanced · 3 gateways/);
    const lb = treeRow('lb-1');
    await waitForDescription(lb, /^HAProxy 10\.250\.65\.10 · expand to watch$/);
    // Expanding the load balancer starts its polls: the first one connects over SSH.
    await lb.click();
    await trustHostKey(info.loadBalancer!.address, info.loadBalancer!.hostKeyFingerprint);
    await waitForDescription(lb, /^HAProxy 10\.250\.65\.10 · 3\/3 UP$/);
    await waitForDescription(treeRow('fe-443'), /^\*:443 · OPEN/);
    await waitForDescription(treeRow('gateways'), /^3\/3 UP · roundrobin$/);
    for (const name of ['mgw-1', 'mgw-2', 'mgw-3'])
      await waitForDescription(treeRow(name), /^UP · L7OK · \d+[smh]/);

    // The running haproxy.cfg beside the one generated from the spec: the same file, so no difference.
    await inlineAction(lb, 'Compare haproxy.cfg with the Spec');
    await page
      .locator('.tab', { hasText: /haproxy\.cfg on lb-1 ↔ generated from the spec/ })
      .waitFor({ timeout: 30_000 });
    await page
      .locator('.editor-instance .view-lines', { hasText: /description\sgateway-cluster\slab-mgw\ssha256:/ })
      .first()
      .waitFor({ timeout: 30_000 });

    await lab.inject({ kind: 'stopGateway', node: 2 });
    await waitForDescription(treeRow('mgw-2'), /^DOWN · L4CON Connection refused · \d+s$/, 30_000);
    await waitForDescription(treeRow('gateways'), /^2\/3 UP · 1 DOWN · roundrobin$/);
    // The README's picture: the tree wide enough for its descriptions, the configuration beside it.
    await widenSideBar(520);
    await page.mouse.move(900, 700);
    await page.waitForTimeout(500);
    publishScreenshot(await ui().screenshot('lb-tree'), 'screenshot-lb-tree.png');

    await lab.inject({ kind: 'startGateway', node: 2 });
    await waitForDescription(treeRow('mgw-2'), /^UP · L7OK · \d+s$/, 30_000);
    await waitForDescription(lb, /^HAProxy 10\.250\.65\.10 · 3\/3 UP$/);
  });

  it("drains, disables and enables a gateway from its menu (the runtime API's set server … state)", async () => {
    const { page } = ui();
    const menu = async (label: string, item: string, confirm?: string) => {
      await treeRow(label).click({ button: 'right' });
      // The workbench's menus act on mouse-up over a highlighted item: highlight it, then Enter.
      await page.locator('.monaco-menu .action-label', { hasText: item }).hover();
      await page.keyboard.press('Enter');
      if (confirm) {
        const dialog = page.locator('.monaco-dialog-box');
        await dialog.waitFor({ timeout: 30_000 });
        await dialog.locator('.dialog-buttons .monaco-button', { hasText: confirm }).click();
      }
    };
    await menu('mgw-3', 'Drain Gateway', 'Drain');
    await waitForDescription(treeRow('mgw-3'), /^DRAIN · /, 30_000);
    await menu('mgw-3', 'Disable Gateway (Maintenance)', 'Disable');
    await waitForDescription(treeRow('mgw-3'), /^MAINT/, 30_000);
    await waitForDescription(treeRow('gateways'), /^2\/3 UP · 1 MAINT · roundrobin$/);
    await menu('mgw-3', 'Enable Gateway');
    await waitForDescription(treeRow('mgw-3'), /^UP · L7OK/, 30_000);
  });
});
