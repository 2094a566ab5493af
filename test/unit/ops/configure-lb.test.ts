// configure-lb's decisions against a scripted load balancer host (fast; the real haproxy runs in
// test/integration/lb): a file haproxy -c rejects is never installed; a reload that does not load the new file,
// or after which a gateway that served is DOWN, is rolled back; a cancel mid-reload rolls back too; a re-run of
// an applied spec changes nothing; the load-balanced plans refuse the other topology and mask their secrets.
import assert from 'node:assert/strict';
import {
  EXAMPLE_HA_SPEC,
  EXAMPLE_LOAD_BALANCED_SPEC,
  validateText,
  type ClusterModel,
  type NodeModel,
} from '../../../src/cluster-spec';
import { Masker } from '../../../src/remote/masker';
import {
  MemoryTranscriptSink,
  OperationsEngine,
  haproxyConfig,
  InvalidModelError,
  type NodeCommand,
  type NodeExecOptions,
  type NodeExecResult,
  type NodeRunner,
  type RunResult,
} from '../../../src/ops';
import { configureLbPlan } from '../../../src/ops/plans/configure-lb';

const DEBIAN = 'global\n\tstats socket /run/haproxy/admin.sock mode 660 level admin\n';
const STAT_HEADER = '# pxname,svname,status,check_status,last_chk,lastchg,chkfail';

function model(text = EXAMPLE_LOAD_BALANCED_SPEC): ClusterModel {
  return validateText(text.replace('interMs: 2000', 'interMs: 100'), 'cluster.yaml', { offline: true })
    .documents[0]!.model!;
}

/** A load balancer host as configure-lb's commands see it: its files, haproxy's running file and servers. */
class FakeLoadBalancer implements NodeRunner {
  files = new Map<string, string>([['/etc/haproxy/haproxy.cfg', DEBIAN]]);
  /** The file haproxy runs (its description is read through show info). */
  running = DEBIAN;
  servers = new Map<string, string>();
  /** What goes wrong: haproxy -c refuses, a reload is ignored, the servers go DOWN under a new file. */
  fault: 'none' | 'reject' | 'ignoreReload' | 'downAfterReload' | 'hangReload' | 'slowRollback' = 'none';
  log: string[] = [];
  private hung = false;
  /** slowRollback: show info answers from the new file's workers this many more times after the roll back. */
  private staleInfos = 0;
  private reloaded?: string;

  constructor(private readonly names: string[]) {}

  private description(text: string): string {
    return /description (.*)/.exec(text)?.[1] ?? '';
  }

  async exec(_node: NodeModel, command: NodeCommand, options: NodeExecOptions): Promise<NodeExecResult> {
    const text = 'argv' in command ? command.argv.join(' ') : command.script;
    this.log.push(text);
    const ok = (stdout = ''): NodeExecResult => ({ code: 0, stdout, stderr: '' });
    if (text.includes('@@gc-check version'))
      return ok(
        `@@gc-check version\nHAProxy version 2.6.12\n@@gc-check version exit 0\n@@gc-check socat\n/usr/bin/socat\n@@gc-check socat exit 0\n@@gc-check active\nactive\n@@gc-check active exit 0\n@@gc-check config\n${(this.files.get('/etc/haproxy/haproxy.cfg') ?? '').replace(/\n$/, '')}\n@@gc-check config exit 0\n`,
      );
    if (text.includes('cat > /etc/haproxy/haproxy.cfg.gc-new')) {
      this.files.set('/etc/haproxy/haproxy.cfg.gc-new', options.stdin ?? '');
      return ok();
    }
    if (text.startsWith('haproxy -c -f'))
      return this.fault === 'reject'
        ? {
            code: 1,
            stdout: '',
            stderr:
              "[ALERT]    (1) : config : [/etc/haproxy/haproxy.cfg.gc-new:38] : 'server gateways/mgw-1' : unknown keyword 'x'.\n",
          }
        : ok('Configuration file is valid\n');
    if (text.startsWith('rm -f /etc/haproxy/haproxy.cfg.gc-new')) {
      this.files.delete('/etc/haproxy/haproxy.cfg.gc-new');
      return ok();
    }
    if (text.includes('mv /etc/haproxy/haproxy.cfg.gc-new')) {
      const next = this.files.get('/etc/haproxy/haproxy.cfg.gc-new');
      if (next === undefined) return ok('kept\n');
      this.files.set('/etc/haproxy/haproxy.cfg.gc-previous', this.files.get('/etc/haproxy/haproxy.cfg')!);
      this.files.set('/etc/haproxy/haproxy.cfg', next);
      this.files.delete('/etc/haproxy/haproxy.cfg.gc-new');
      return ok('installed\n');
    }
    if (text.includes('cp -p /etc/haproxy/haproxy.cfg.gc-previous /etc/haproxy/haproxy.cfg')) {
      this.files.set('/etc/haproxy/haproxy.cfg', this.files.get('/etc/haproxy/haproxy.cfg.gc-previous')!);
      return ok();
    }
    if (text.includes('systemctl reload haproxy')) {
      if (this.fault === 'hangReload' && this.running === DEBIAN && !this.hung) {
        this.hung = true;
        await new Promise<void>((resolve) =>
          options.signal.addEventListener('abort', () => resolve(), { once: true }),
        );
        throw new Error('cancelled');
      }
      const file = this.files.get('/etc/haproxy/haproxy.cfg')!;
      if (this.fault === 'ignoreReload' && file !== DEBIAN) return ok();
      if (this.fault === 'slowRollback' && file === DEBIAN && this.running !== DEBIAN) {
        this.staleInfos = 3;
        this.reloaded = file;
        return ok();
      }
      this.running = file;
      const up = !(['downAfterReload', 'slowRollback'].includes(this.fault) && file !== DEBIAN);
      this.servers = new Map(
        file === DEBIAN ? [] : this.names.map((n) => [n, up ? 'UP,L7OK' : 'DOWN,L6RSP']),
      );
      return ok();
    }
    if (text.startsWith('socat')) {
      const request = (options.stdin ?? '').trim();
      if (request === 'show info' && this.reloaded !== undefined && this.staleInfos-- <= 0) {
        this.running = this.reloaded;
        this.reloaded = undefined;
      }
      if (request === 'show info')
        return ok(`Name: HAProxy\ndescription: ${this.description(this.running)}\n`);
      if (request === 'show stat') {
        const rows = [...this.servers].map(([name, state]) => {
          const [status, check] = state.split(',');
          return `gateways,${name},${status},${check},,1,0`;
        });
        return ok([STAT_HEADER, ...rows, ''].join('\n'));
      }
    }
    throw new Error(`the fake load balancer does not know: ${text}`);
  }
}

function setup(fault: FakeLoadBalancer['fault'] = 'none') {
  const m = model();
  const lb = new FakeLoadBalancer(m.nodes.map((n) => n.hostname));
  lb.fault = fault;
  const masker = new Masker();
  const engine = new OperationsEngine({
    nodes: lb,
    secrets: { get: async () => 'secret-value' },
    kubeconfig: { read: async () => undefined, store: async () => undefined },
    api: { connect: async () => assert.fail('no Kubernetes API here') },
    masker,
    sink: new MemoryTranscriptSink(),
    timeouts: { command: 2_000, long: 2_000, wait: 2_000, registration: 2_000 },
  });
  const run = (signal?: AbortSignal): Promise<RunResult> =>
    engine.run(
      configureLbPlan(m, { timeouts: { command: 2_000, long: 2_000 }, loadTimeoutMs: 400, settleMs: 200 }),
      {
        signal,
      },
    );
  return { m, lb, engine, run };
}

const states = (r: RunResult) => Object.fromEntries(r.transcript.steps.map((s) => [s.id, s.state]));

describe('configure-lb against a scripted load balancer', () => {
  it("replaces Debian's file, keeps it as .gc-previous, and a re-run changes nothing", async () => {
    const s = setup();
    const r = await s.run();
    assert.equal(r.outcome, 'succeeded', r.error?.message);
    assert.equal(s.lb.files.get('/etc/haproxy/haproxy.cfg'), haproxyConfig(s.m).text);
    assert.equal(s.lb.files.get('/etc/haproxy/haproxy.cfg.gc-previous'), DEBIAN);
    const again = await s.run();
    assert.deepEqual(states(again), {
      'lb-facts': 'succeeded',
      write: 'skipped',
      check: 'skipped',
      apply: 'skipped',
      backends: 'succeeded',
    });
  });

  it('never installs a file haproxy -c rejects, and says which line', async () => {
    const s = setup('reject');
    const r = await s.run();
    assert.equal(r.failure?.step, 'check');
    assert.match(
      r.failure?.message ?? '',
      /at line 38 \("server mgw-1 172\.25\.252\.11:4480 check-sni mgw-1 verifyhost mgw-1"\): 'server gateways\/mgw-1' : unknown keyword 'x'\./,
    );
    assert.equal(s.lb.files.get('/etc/haproxy/haproxy.cfg'), DEBIAN);
    assert.equal(s.lb.files.has('/etc/haproxy/haproxy.cfg.gc-new'), false);
    assert.ok(!s.lb.log.some((c) => c.includes('reload')));
  });

  for (const [fault, reason] of [
    ['ignoreReload', /haproxy did not load the new file/],
    ['downAfterReload', /no gateway serves with the new file/],
  ] as const) {
    it(`rolls back and reloads again when ${fault === 'ignoreReload' ? 'the reload does not load the file' : 'no gateway serves after it'}`, async () => {
      const s = setup(fault);
      const r = await s.run();
      assert.equal(r.failure?.step, 'apply');
      assert.match(r.failure?.message ?? '', /^The new configuration was rolled back: /);
      assert.match(r.failure?.message ?? '', reason);
      assert.equal(s.lb.files.get('/etc/haproxy/haproxy.cfg'), DEBIAN);
      assert.equal(s.lb.running, DEBIAN);
      assert.equal(s.lb.log.filter((c) => c.includes('systemctl reload haproxy')).length, 2);
    });
  }

  it('says the previous configuration runs again only once show info describes it, not while the new one answers', async () => {
    const s = setup('slowRollback');
    const r = await s.run();
    assert.match(r.failure?.message ?? '', /haproxy runs the previous configuration again\.$/);
    assert.equal(s.lb.running, DEBIAN, 'the roll back was seen, not assumed');
    const infos = s.lb.log.filter((c) => c.startsWith('socat')).length;
    assert.ok(infos >= 4, `show info asked until the old file answered (${infos} runtime API requests)`);
  });

  it('a gateway that served before and is DOWN after the change is a failure, rolled back', async () => {
    const s = setup();
    assert.equal((await s.run()).outcome, 'succeeded');
    s.lb.fault = 'downAfterReload';
    const changed = {
      ...s.m,
      loadBalancer: { ...s.m.loadBalancer!, healthCheck: { ...s.m.loadBalancer!.healthCheck, fall: 5 } },
    };
    const r = await s.engine.run(
      configureLbPlan(changed, {
        timeouts: { command: 2_000, long: 2_000 },
        loadTimeoutMs: 400,
        settleMs: 200,
      }),
    );
    assert.match(r.failure?.message ?? '', /mgw-1, mgw-2, mgw-3 served before and are DOWN now/);
    assert.equal(
      s.lb.files.get('/etc/haproxy/haproxy.cfg'),
      haproxyConfig(s.m).text,
      'the previous file is back',
    );
  });

  it('a cancel during the reload rolls back, and the run ends cancelled', async () => {
    const s = setup('hangReload');
    const controller = new AbortController();
    const running = s.run(controller.signal);
    while (!s.lb.log.some((c) => c.includes('systemctl reload haproxy')))
      await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    const r = await running;
    assert.equal(r.outcome, 'cancelled');
    assert.equal(s.lb.files.get('/etc/haproxy/haproxy.cfg'), DEBIAN);
    assert.ok(s.lb.log.some((c) => c.includes('cp -p /etc/haproxy/haproxy.cfg.gc-previous')));
  });
});

describe('the load-balanced plans', () => {
  const engine = new OperationsEngine({
    nodes: { exec: async () => assert.fail('a dry run runs nothing') },
    secrets: { get: async () => undefined },
    kubeconfig: { read: async () => undefined, store: async () => undefined },
    api: { connect: async () => assert.fail('no API') },
    masker: new Masker(),
  });

  it('refuse the other topology, and MicroK8s operations refuse a load-balanced spec', () => {
    const ha = validateText(EXAMPLE_HA_SPEC, 'c.yaml', { offline: true }).documents[0]!.model!;
    assert.throws(
      () => engine.plan('install', ha),
      (e: Error) =>
        e instanceof InvalidModelError && /install is for topology "load-balanced"/.test(e.message),
    );
    assert.throws(() => engine.plan('join', model()), /join is for MicroK8s clusters/);
    assert.throws(() => engine.plan('drill', model(), { node: 'mgw-9' }), /one of the spec's gateways/);
  });

  it('dry runs: every step, the response files with their secrets masked, the generated haproxy.cfg', () => {
    const install = engine.dryRun(engine.plan('install', model()));
    assert.deepEqual(
      install.steps.map((s) => s.id),
      ['facts', 'package', 'setup', 'health'],
    );
    assert.match(
      install.text,
      /ManagementAgentInstallKey=••••\nFreeFormTags=\[\{"GatewayGroup":"GatewayCluster"\}\]\nGatewayUsername=gatewayuser\nGatewayPassword=••••/,
    );
    assert.match(
      install.text,
      /sftp put packages\/oracle\.mgmt_gateway\.230207\.1529\.1675888242\.Linux-x86_64\.rpm mgw-2:\$DIR\//,
    );
    const lb = engine.dryRun(engine.plan('configure-lb', model()));
    assert.deepEqual(
      lb.steps.map((s) => s.id),
      ['lb-facts', 'write', 'check', 'apply', 'backends'],
    );
    assert.ok(lb.text.includes(haproxyConfig(model()).text.split('\n')[3]!), 'the description line');
    const agents = engine.dryRun(engine.plan('configure-agents', model()));
    assert.match(agents.text, /GatewayServerHost=172\.25\.252\.10\nGatewayServerPort=9091/);
    const drill = engine.dryRun(engine.plan('drill', model(), { node: 'mgw-2' }));
    assert.deepEqual(
      drill.steps.map((s) => s.id),
      ['check', 'stop', 'start', 'client'],
    );
  });
});
