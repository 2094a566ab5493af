// An unknown host key in a run, against a 3-node lab wired as the editor wires it: Preflight connects to each
// node twice at once, and still asks once about gw-3's key; the decline holds for the whole run (gw-3 fails
// with "compare and trust it, then resume", no second question that could not help any more), and the next run
// of the same engine asks again — a trust then serves all its connections.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { PREFLIGHT_REPORT } from '../../../src/ops';
import type { PreflightReport } from '../../../src/ops';
import type { HostKeyQuestion } from '../../../src/remote';
import { startOpsLab } from './support/ops-lab';
import type { OpsLab } from './support/ops-lab';

describe('ops against the lab: an unknown host key is asked about once per run', function () {
  this.timeout(120_000);
  let t: OpsLab;
  const questions: HostKeyQuestion[] = [];
  let trust = false;

  before(async function () {
    this.timeout(120_000);
    t = await startOpsLab('gclabhk', {
      nodes: 3,
      state: 'fresh',
      subnetPrefix: '10.250.75',
      confirmHostKey: async (question) => {
        questions.push(question);
        return trust;
      },
    });
    // gw-3's key is not on record: every connection to it meets an unknown key.
    const gw3 = t.info.nodes[2]!.address;
    const known = await fs.readFile(t.knownHosts.user, 'utf8');
    await fs.writeFile(
      t.knownHosts.user,
      known
        .split('\n')
        .filter((line) => !line.startsWith(`${gw3} `))
        .join('\n'),
    );
  });

  after(async function () {
    this.timeout(60_000);
    await t?.close();
  });

  const findingOn = (report: PreflightReport, node: string) =>
    report.findings.find((f) => f.node === node && f.check === 'reachable');

  it('preflight asks once about gw-3; the decline fails gw-3 saying to compare and trust it, then resume', async () => {
    const r = await t.run(t.engine.preflight(t.model));
    assert.deepEqual(
      questions.map((q) => q.address),
      [t.info.nodes[2]!.address],
    );
    assert.equal(questions[0]!.fingerprint, t.info.nodes[2]!.hostKeyFingerprint);
    assert.equal(r.outcome, 'failed');
    const report = r.shared.get(PREFLIGHT_REPORT) as PreflightReport;
    const finding = findingOn(report, 'gw-3');
    assert.match(finding?.message ?? '', /was not trusted; not connecting/);
    assert.match(finding?.hint ?? '', /Compare its fingerprint .* then resume and trust it when asked/);
    assert.equal(findingOn(report, 'gw-1'), undefined);
    assert.equal(await fs.readFile(t.knownHosts.own, 'utf8').catch(() => ''), '');
  });

  it('the next run asks again, once, and the trust serves every connection to gw-3', async () => {
    trust = true;
    const r = await t.run(t.engine.preflight(t.model));
    assert.equal(questions.length, 2);
    const report = r.shared.get(PREFLIGHT_REPORT) as PreflightReport;
    assert.equal(findingOn(report, 'gw-3'), undefined, JSON.stringify(report.findings));
    assert.ok(report.nodes.find((n) => n.node === 'gw-3')?.reachable);
    const own = (await fs.readFile(t.knownHosts.own, 'utf8')).trim().split('\n');
    assert.deepEqual(own, [`${t.info.nodes[2]!.address} ${t.info.nodes[2]!.hostPublicKey.trim()}`]);
  });
});
