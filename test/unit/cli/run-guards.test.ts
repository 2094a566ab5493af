// What `run` checks before anything runs: the secrets an operation needs (asked on a terminal, else exit 2
// naming them), the operation's confirmations (--yes, a terminal, else exit 2), and the host-key policy
// (OpenSSH accept-new: unknown keys refused or recorded, changed keys always refused).
import assert from 'node:assert/strict';
import { ClusterContext } from '../../../src/clusters';
import { confirmOperation } from '../../../src/cli/confirmations';
import { CliError } from '../../../src/cli/exit';
import { HostKeyPolicy } from '../../../src/cli/host-keys';
import { MemorySecretBackend, askSudoPasswordWhenNeeded, requireSecrets } from '../../../src/cli/secrets';
import type { Terminal } from '../../../src/cli/terminal';
import { OPERATIONS, type OperationInfo } from '../../../src/ops/catalog';
import { labModel } from '../ops/fake-cluster';

class FakeTerminal implements Terminal {
  asked: string[] = [];
  constructor(
    readonly interactive: boolean,
    private readonly answers: Array<string | undefined | boolean> = [],
  ) {}
  async askHidden(question: string) {
    this.asked.push(question);
    return this.answers.shift() as string | undefined;
  }
  async confirm(question: string) {
    this.asked.push(question);
    return this.answers.shift() === true;
  }
  async ask(question: string) {
    this.asked.push(question);
    return this.answers.shift() as string | undefined;
  }
}

function context(backend = new MemorySecretBackend()) {
  const model = labModel(3);
  return {
    backend,
    context: new ClusterContext(
      { specPath: '/ws/cluster.yaml', documentIndex: 0, model, findings: [] },
      {
        secrets: backend,
        prompts: { confirmHostKey: async () => false },
        knownHosts: { ownFile: '/nonexistent/own', userFile: null },
        log: () => undefined,
        runner: 'the tests',
      },
    ),
  };
}

async function rejection(promise: Promise<unknown>): Promise<CliError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof CliError);
    return error;
  }
  assert.fail('it did not refuse');
}

describe('cli: what run checks before it runs', () => {
  it('without a terminal a missing secret is exit 2 naming its key; nothing is asked', async () => {
    const { context: c } = context();
    const terminal = new FakeTerminal(false);
    const error = await rejection(requireSecrets(c, 'deploy', terminal));
    assert.equal(error.status, 2);
    assert.match(
      error.message,
      /^deploy needs the secret "lab-manager-password" \(the Gateway Manager password\); nothing was run/,
    );
    assert.deepEqual(terminal.asked, []);
    await c.secrets.store('lab-manager-password', 'pw');
    await requireSecrets(c, 'deploy', terminal);
  });

  it('on a terminal a missing secret is asked for and kept; an empty answer is exit 2, a cancel 130', async () => {
    const { context: c } = context();
    const terminal = new FakeTerminal(true, ['typed-token']);
    await requireSecrets(c, 'register', terminal);
    assert.deepEqual(terminal.asked, ['the activation token ("lab-activation-token"): ']);
    assert.equal(await c.secrets.get('lab-activation-token'), 'typed-token');
    assert.equal(c.masker.mask('x typed-token y'), 'x •••• y');
    assert.equal(
      (await rejection(requireSecrets(context().context, 'register', new FakeTerminal(true, [''])))).status,
      2,
    );
    assert.equal(
      (await rejection(requireSecrets(context().context, 'register', new FakeTerminal(true, [undefined]))))
        .status,
      130,
    );
  });

  it('the sudo password is asked once on a terminal when sudo needs it, not when the spec has an SSH password', async () => {
    const { context: c, backend } = context();
    const terminal = new FakeTerminal(true, ['sudo-pw']);
    let cancelled = false;
    askSudoPasswordWhenNeeded(backend, c, terminal, () => (cancelled = true));
    const [a, b] = await Promise.all([
      c.secrets.getInternal('sudo-password'),
      c.secrets.getInternal('sudo-password'),
    ]);
    assert.deepEqual([a, b], ['sudo-pw', 'sudo-pw']);
    assert.deepEqual(terminal.asked, ['sudo password on the nodes ("@sudo-password"): ']);
    assert.equal(await c.secrets.get('other'), undefined, 'only the sudo password is asked for');
    assert.equal(terminal.asked.length, 1);
    assert.equal(cancelled, false);

    const withLogin = context();
    withLogin.context.model.ssh.passwordSecret = 'login';
    const quiet = new FakeTerminal(true, ['never']);
    askSudoPasswordWhenNeeded(withLogin.backend, withLogin.context, quiet, () => undefined);
    assert.equal(await withLogin.context.secrets.getInternal('sudo-password'), undefined);
    assert.deepEqual(quiet.asked, []);
  });

  it('confirmations: --yes answers them; a terminal asks; without one it is exit 2 naming the question', async () => {
    const info: OperationInfo = {
      title: 'Remove Node',
      summary: 'removes a node',
      node: 'required',
      readOnly: false,
      confirmations: ['Remove {node} from the cluster?'],
    };
    await confirmOperation('remove-node', info, { yes: true, node: 'gw-2' }, new FakeTerminal(false));
    const refused = await rejection(
      confirmOperation('remove-node', info, { yes: false, node: 'gw-2' }, new FakeTerminal(false)),
    );
    assert.equal(refused.status, 2);
    assert.match(
      refused.message,
      /remove-node asks for a confirmation .*: "Remove gw-2 from the cluster\?". Pass --yes/,
    );
    const yes = new FakeTerminal(true, [true]);
    await confirmOperation('remove-node', info, { yes: false, node: 'gw-2' }, yes);
    assert.deepEqual(yes.asked, ['Remove gw-2 from the cluster?']);
    const no = await rejection(
      confirmOperation('remove-node', info, { yes: false, node: 'gw-2' }, new FakeTerminal(true, [false])),
    );
    assert.match(no.message, /^not confirmed: "Remove gw-2 from the cluster\?"/);
    // The catalog's: de-register and the drill ask, the drill after its topology; join asks nothing.
    const terminal = new FakeTerminal(true, [true, true, true]);
    await confirmOperation('deregister', OPERATIONS.deregister, { yes: false, cluster: 'site' }, terminal);
    await confirmOperation(
      'drill',
      OPERATIONS.drill,
      { yes: false, cluster: 'site', node: 'gw-2' },
      terminal,
    );
    await confirmOperation(
      'drill',
      OPERATIONS.drill,
      { yes: false, cluster: 'lb', node: 'mgw-1', topology: 'load-balanced' },
      terminal,
    );
    assert.equal(terminal.asked.length, 3);
    assert.match(terminal.asked[0]!, /^De-register site\? The management platform stops monitoring/);
    assert.match(terminal.asked[1]!, /^Stop MicroK8s on gw-2 of site for the drill\?/);
    assert.match(terminal.asked[2]!, /^Stop the gateway service on mgw-1 of lb for the drill\?/);
    await confirmOperation(
      'join',
      { title: 'Join', summary: '', node: 'none', readOnly: false },
      { yes: false },
      new FakeTerminal(false),
    );
  });

  it('host keys: an unknown key is refused and named, or accepted with --accept-new-host-keys; a changed one always refused', async () => {
    const question = {
      node: 'gw-1',
      address: '10.0.0.11',
      port: 22,
      keyType: 'ssh-ed25519',
      fingerprint: 'SHA256:new',
    };
    const strict = new HostKeyPolicy(false, '/own', () => undefined);
    assert.equal(await strict.confirmHostKey(question), false);
    strict.noteRefusal(
      'gw-2',
      'hostKeyChanged',
      'HOST KEY CHANGED for node gw-2 at 10.0.0.12:22: known SHA256:a, now presented SHA256:b.',
    );
    strict.noteRefusal('gw-1', 'hostKeyRefused', 'not trusted');
    strict.noteRefusal('gw-3', 'connect', 'refused');
    assert.ok(strict.refused);
    assert.equal(
      strict.advice(),
      'host keys were refused:\n' +
        '  HOST KEY CHANGED for node gw-2 at 10.0.0.12:22: known SHA256:a, now presented SHA256:b.\n' +
        '  gw-1 (10.0.0.11:22) presented an unknown ssh-ed25519 host key: SHA256:new\n' +
        "Compare each fingerprint with the node's own (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on its console); " +
        'if they match, add the keys to a known_hosts file (--known-hosts FILE) or run again with --accept-new-host-keys.',
    );
    const notes: string[] = [];
    const acceptNew = new HostKeyPolicy(true, '/home/u/.config/gateway-cluster/known_hosts', (l) =>
      notes.push(l),
    );
    assert.equal(await acceptNew.confirmHostKey(question), true);
    assert.equal(acceptNew.refused, false);
    assert.deepEqual(notes, [
      'accepted the new ssh-ed25519 host key of gw-1 (10.0.0.11:22): SHA256:new (recorded in /home/u/.config/gateway-cluster/known_hosts)',
    ]);
    acceptNew.noteRefusal('gw-2', 'hostKeyChanged', 'HOST KEY CHANGED …');
    assert.equal(acceptNew.refused, true);
  });
});
