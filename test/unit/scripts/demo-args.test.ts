import assert from 'node:assert/strict';
import { parseDemoArgs } from '../../../scripts/demo-args';

describe("npm run demo's arguments", () => {
  it('defaults to the MicroK8s lab, joined, on port 8080', () => {
    assert.deepEqual(parseDemoArgs([]), { port: 8080, lab: { topology: 'microk8s', state: 'joined' } });
  });

  it('takes --flag value and --flag=value, and PORT from the environment', () => {
    assert.deepEqual(parseDemoArgs(['--state', 'fresh', '--port=9090']), {
      port: 9090,
      lab: { topology: 'microk8s', state: 'fresh' },
    });
    assert.equal(parseDemoArgs([], { PORT: '8181' }).port, 8181);
    assert.equal(parseDemoArgs(['--port', '8282'], { PORT: '8181' }).port, 8282);
    assert.deepEqual(parseDemoArgs(['--time-scale', '0.1']).lab, {
      topology: 'microk8s',
      state: 'joined',
      timeScale: 0.1,
    });
  });

  it('starts the load-balanced topology fresh by default, or installed or configured', () => {
    assert.deepEqual(parseDemoArgs(['--topology', 'load-balanced']).lab, {
      topology: 'load-balanced',
      state: 'fresh',
    });
    for (const state of ['installed', 'configured'])
      assert.equal(parseDemoArgs(['--topology=load-balanced', '--state', state]).lab?.state, state);
  });

  it("refuses a state of the other topology, naming the topology's own and where the state belongs", () => {
    assert.throws(
      () => parseDemoArgs(['--topology', 'load-balanced', '--state', 'joined']),
      /^Error: invalid --state joined for the load-balanced topology: use fresh, installed or configured \(joined is a state of --topology microk8s\)$/,
    );
    assert.throws(
      () => parseDemoArgs(['--state', 'configured']),
      /use fresh, joined or deployed \(configured is a state of --topology load-balanced\)$/,
    );
    assert.throws(
      () => parseDemoArgs(['--state', 'built']),
      /^Error: invalid --state built for the microk8s topology: use fresh, joined or deployed$/,
    );
  });

  it('refuses an unknown topology, a typo, a missing value, a bad port or time scale', () => {
    assert.throws(
      () => parseDemoArgs(['--topology', 'haproxy']),
      /invalid --topology haproxy: use microk8s or load-balanced/,
    );
    assert.throws(
      () => parseDemoArgs(['--topolgy', 'load-balanced']),
      /unknown argument --topolgy\nusage: npm run demo/,
    );
    assert.throws(() => parseDemoArgs(['--state']), /--state needs a value/);
    assert.throws(() => parseDemoArgs(['--state', '--no-lab']), /--state needs a value/);
    assert.throws(() => parseDemoArgs(['--port', '80a']), /invalid port 80a/);
    assert.throws(() => parseDemoArgs(['--port', '70000']), /invalid port 70000/);
    assert.throws(
      () => parseDemoArgs(['--time-scale', '2']),
      /invalid --time-scale 2: use a number in \(0, 1\]/,
    );
  });

  it('refuses --time-scale for the load-balanced topology, and lab options with --no-lab', () => {
    assert.throws(
      () => parseDemoArgs(['--topology', 'load-balanced', '--time-scale', '0.1']),
      /--time-scale scales the MicroK8s lab's Kubernetes timings/,
    );
    assert.deepEqual(parseDemoArgs(['--no-lab', '--port', '9000']), { port: 9000 });
    assert.throws(
      () => parseDemoArgs(['--no-lab', '--topology', 'load-balanced', '--state', 'fresh']),
      /^Error: --no-lab starts no lab, so --topology and --state cannot apply/,
    );
  });
});
