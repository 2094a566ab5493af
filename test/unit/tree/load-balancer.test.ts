// What the tree shows of a load balancer, from show stat rows (pure).
import assert from 'node:assert/strict';
import {
  backendSummary,
  describeServer,
  formatStats,
  frontendDescription,
  lbDocumentPath,
  lbSummary,
  runsSpecConfig,
  serverView,
  shortDuration,
} from '../../../src/tree/core';

const row = (status: string, extra: Record<string, unknown> = {}) => ({
  proxy: 'gateways',
  name: 'mgw-1',
  status,
  ...extra,
});

describe('tree: a load balancer from show stat', () => {
  it('says each server state as a person reads it, with its last check and the time since its change', () => {
    const at = 1_000_000;
    assert.equal(
      describeServer(serverView(row('UP', { checkStatus: 'L7OK', lastChangeSeconds: 250 }), at, at + 10_000)),
      'UP · L7OK · 4m',
    );
    assert.equal(
      describeServer(
        serverView(
          row('DOWN', { checkStatus: 'L4CON', lastCheck: 'Connection refused', lastChangeSeconds: 3 }),
          at,
          at,
        ),
      ),
      'DOWN · L4CON Connection refused · 3s',
    );
    assert.equal(serverView(row('UP 1/3', { checkStatus: 'L6RSP' }), at, at).state, 'UP, going down (1/3)');
    assert.equal(serverView(row('DOWN 1/2'), at, at).health, 'changing');
    assert.equal(serverView(row('MAINT'), at, at).health, 'maint');
    assert.equal(serverView(row('DRAIN'), at, at).health, 'drain');
    assert.equal(serverView(row('no check'), at, at).health, 'unknown');
    assert.equal(serverView(row('UP', { checkStatus: 'INI' }), at, at).check, 'INI');
  });

  it('sums up a backend and describes a frontend', () => {
    const views = ['UP', 'DOWN', 'MAINT', 'UP 2/3'].map((s) => serverView(row(s), 0, 0));
    assert.equal(backendSummary(views), '1/4 UP · 1 DOWN · 1 MAINT · 1 changing');
    assert.equal(
      frontendDescription('*:443', { proxy: 'fe-443', name: 'FRONTEND', status: 'OPEN', sessions: 2 }),
      '*:443 · OPEN · 2 sessions',
    );
    assert.equal(frontendDescription('*:9091', undefined), '*:9091 · not running');
    // show stat was read and has no such frontend: the running haproxy.cfg lacks it.
    assert.equal(frontendDescription('*:9091', undefined, true), '*:9091 · not in the running configuration');
  });

  it("says when haproxy runs another configuration than the spec's, instead of 0/0 UP", () => {
    const fingerprint = 'sha256:0123456789abcdef';
    assert.equal(runsSpecConfig(`gateway-cluster lab-mgw ${fingerprint}`, fingerprint), true);
    assert.equal(runsSpecConfig('gateway-cluster lab-mgw sha256:ffffffffffffffff', fingerprint), false);
    assert.equal(runsSpecConfig(undefined, fingerprint), false, "Debian's default has no description");
    assert.equal(runsSpecConfig(undefined, undefined), true, 'nothing to compare with');
    assert.equal(lbSummary([], false), 'runs another configuration — Configure Load Balancer');
    const views = ['UP', 'DOWN'].map((s) => serverView(row(s), 0, 0));
    assert.equal(lbSummary(views, true), '1/2 UP · 1 DOWN');
    assert.equal(
      lbSummary(views, false),
      '1/2 UP · 1 DOWN · runs another configuration — Configure Load Balancer',
    );
  });

  it('writes durations short', () => {
    assert.deepEqual([5, 59, 60, 3599, 3600, 3720, 86_400].map(shortDuration), [
      '5s',
      '59s',
      '1m',
      '59m',
      '1h',
      '1h 2m',
      '1d',
    ]);
  });

  it('names the stats’ tab after the load balancer’s host ("lb-1 stats", not "stats.txt")', () => {
    const tab = (p: string) => p.slice(p.lastIndexOf('/') + 1);
    assert.equal(tab(lbDocumentPath('lab-mgw', 'lb-1', 'stats')), 'lb-1 stats');
    assert.notEqual(lbDocumentPath('lab-mgw', 'lb-1', 'stats'), lbDocumentPath('other', 'lb-1', 'stats'));
    assert.equal(tab(lbDocumentPath('lab-mgw', 'lb-1', 'running')), 'haproxy.cfg');
    assert.notEqual(
      lbDocumentPath('lab-mgw', 'lb-1', 'running'),
      lbDocumentPath('lab-mgw', 'lb-1', 'generated'),
    );
  });

  it('formats show info and show stat for reading', () => {
    const text = formatStats(
      'Name: HAProxy\nVersion: 2.6.12-1+deb12u4\nPid: 7\nNode: x\n',
      '# pxname,svname,scur,status,chkfail,lastchg,check_status,last_chk\ngateways,mgw-1,0,UP,0,12,L7OK,\n',
      new Date(0),
    );
    assert.match(text, /^Version: 2\.6\.12-1\+deb12u4$/m);
    assert.ok(!text.includes('Node: x'));
    assert.match(text, /^pxname\s+svname\s+status\s+check_status/m);
    assert.match(text, /^gateways\s+mgw-1\s+UP\s+L7OK\s+12\s+0\s+0$/m);
  });
});
