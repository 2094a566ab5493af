// The tree's view of a load balancer: the runtime API read only while watched, every refreshMs; the server
// actions' exact runtime API commands; failures kept, masked, until the next answer.
import assert from 'node:assert/strict';
import { EXAMPLE_LOAD_BALANCED_SPEC, validateText } from '../../../src/cluster-spec';
import { LiveLoadBalancer } from '../../../src/clusters';
import type { SshPool } from '../../../src/remote';
import { waitFor } from '../../support/wait-for';

const model = validateText(EXAMPLE_LOAD_BALANCED_SPEC, 'c.yaml', { offline: true }).documents[0]!.model!;
const STAT = '# pxname,svname,status,check_status\ngateways,mgw-1,UP,L7OK\ngateways,mgw-2,DOWN,L4CON\n';

function setup(answer: (stdin: string) => { code: number; stdout: string; stderr?: string }) {
  const sent: Array<{ argv: readonly string[]; stdin: string; sudo: boolean }> = [];
  const pool = {
    exec: async (_node: unknown, argv: readonly string[], options: { stdin?: string; sudo?: boolean }) => {
      sent.push({ argv, stdin: options.stdin ?? '', sudo: Boolean(options.sudo) });
      const a = answer(options.stdin ?? '');
      return { code: a.code, stdout: a.stdout, stderr: a.stderr ?? '' };
    },
  } as unknown as SshPool;
  const live = new LiveLoadBalancer({
    model: () => model,
    ssh: () => pool,
    mask: (text) => text.replaceAll('hunter2', '••••'),
    log: () => undefined,
    refreshMs: 50,
  });
  return { live, sent };
}

describe('clusters: the live load balancer', () => {
  it('reads nothing until watched, polls while watched, stops when the last watcher goes', async () => {
    const s = setup((stdin) => ({
      code: 0,
      stdout: stdin.startsWith('show stat') ? STAT : 'description: gateway-cluster x sha256:1\n',
    }));
    await new Promise((r) => setTimeout(r, 120));
    assert.equal(s.sent.length, 0);
    const a = s.live.watch();
    const b = s.live.watch();
    await waitFor(() => s.sent.length >= 6, { what: 'three polls' });
    assert.deepEqual(s.sent[0]!.argv, ['socat', '-t', '5', 'stdio', 'UNIX-CONNECT:/run/haproxy/admin.sock']);
    assert.ok(s.sent.every((c) => c.sudo));
    assert.deepEqual(
      s.live.snapshot()?.rows.map((r) => [r.name, r.status]),
      [
        ['mgw-1', 'UP'],
        ['mgw-2', 'DOWN'],
      ],
    );
    assert.equal(s.live.snapshot()?.description, 'gateway-cluster x sha256:1');
    a.dispose();
    a.dispose();
    await waitFor(() => s.sent.length >= 10, { what: 'polls with one watcher left' });
    b.dispose();
    await new Promise((r) => setTimeout(r, 60));
    const count = s.sent.length;
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(s.sent.length, count, 'no poll after the last watcher left');
    s.live.dispose();
  });

  it('sends set server BACKEND/NAME state …, refuses a name that is no server, and keeps a masked error', async () => {
    const s = setup((stdin) =>
      stdin.startsWith('set server')
        ? { code: 0, stdout: '' }
        : { code: 1, stdout: '', stderr: 'sudo: hunter2 refused' },
    );
    await assert.rejects(s.live.setServerState('mgw-9', 'drain'), /mgw-9 is not a server of gateways/);
    await s.live.setServerState('mgw-2', 'maint');
    assert.equal(s.sent[0]!.stdin, 'set server gateways/mgw-2 state maint\n');
    assert.match(s.live.error ?? '', /does not answer on \/run\/haproxy\/admin\.sock: sudo: •••• refused/);
    s.live.dispose();
  });
});
