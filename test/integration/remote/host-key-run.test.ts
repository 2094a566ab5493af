// One question per unknown host key and run, against a private sshd on 127.0.0.1: a run's concurrent
// connections to a node (Preflight runs two commands per node at once) share one answer; a decline holds for
// the rest of the run and the next run asks again; a trust serves every connection and is recorded once.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { KnownHostsStore } from '../../../src/remote/known-hosts';
import { Masker } from '../../../src/remote/masker';
import { SshPool } from '../../../src/remote/pool';
import type { RemoteError } from '../../../src/remote/errors';
import type { HostKeyQuestion, RemoteNode } from '../../../src/remote/types';
import { createPrivateSshd, type PrivateSshd } from './support/private-sshd';
import { waitFor } from '../../support/wait-for';

describe('remote: host-key questions, one per key and run', function () {
  this.timeout(30_000);
  let sshd: PrivateSshd;
  let pool: SshPool | undefined;
  let knownHostsFile: string;
  let questions: HostKeyQuestion[];
  /** Verifications that have read known_hosts (each then asks, or waits for the pending answer). */
  let checked: number;
  /** The user's answer, given when the test decides (every dialog stays open until then). */
  let decision: { answer: Promise<boolean>; give: (trusted: boolean) => void };
  const undecided = () => {
    let give!: (trusted: boolean) => void;
    const answer = new Promise<boolean>((resolve) => (give = resolve));
    decision = { answer, give };
  };

  before(async () => {
    sshd = await createPrivateSshd();
  });
  after(async () => {
    await sshd?.stop();
  });
  beforeEach(async () => {
    questions = [];
    undecided();
    checked = 0;
    knownHostsFile = path.join(sshd.dir, 'run_known_hosts');
    await fs.writeFile(knownHostsFile, '');
    pool = new SshPool({
      knownHosts: new CountingStore({ ownFile: knownHostsFile, userFile: null }),
      prompts: {
        confirmHostKey: (q) => {
          questions.push(q);
          return decision.answer;
        },
      },
      secrets: { get: async () => undefined },
      masker: new Masker(),
      agentSocket: null,
      homeDir: sshd.dir,
    });
  });
  afterEach(async () => {
    await pool?.dispose();
  });

  class CountingStore extends KnownHostsStore {
    override async check(...args: Parameters<KnownHostsStore['check']>) {
      const result = await super.check(...args);
      checked++;
      return result;
    }
  }

  const node = (): RemoteNode => ({
    name: 'gw-local',
    address: '127.0.0.1',
    port: sshd.port,
    user: sshd.user,
    identityFile: sshd.clientKeyPath,
  });

  /** The n-th question is asked (the handshake reaches the prompt asynchronously). */
  const asked = (n: number) =>
    waitFor(() => questions.length >= n, {
      timeoutMs: 10_000,
      what: `question ${n}`,
      detail: () => `${questions.length} asked`,
    });

  const refused = (e: RemoteError) => {
    assert.equal(e.kind, 'hostKeyRefused');
    assert.match(e.message, /was not trusted; not connecting/);
    return true;
  };

  it('asks once for concurrent commands; a decline refuses the whole run, and the next run asks again', async () => {
    const run = pool!.forRun();
    const both = Promise.allSettled([run.exec(node(), ['true']), run.exec(node(), ['echo', 'two'])]);
    await asked(1);
    decision.give(false);
    const [first, second] = await both;
    assert.equal(first.status, 'rejected');
    assert.equal(second.status, 'rejected');
    refused((first as PromiseRejectedResult).reason as RemoteError);
    refused((second as PromiseRejectedResult).reason as RemoteError);
    // Later in the same run: refused without asking.
    await assert.rejects(run.exec(node(), ['true']), refused);
    assert.equal(questions.length, 1, 'one question for the run');
    assert.equal(await fs.readFile(knownHostsFile, 'utf8'), '', 'nothing recorded');

    // The next run asks again, and its trust lets it in.
    undecided();
    const next = pool!.forRun().exec(node(), ['echo', 'in']);
    await asked(2);
    decision.give(true);
    assert.equal((await next).stdout.trim(), 'in');
  });

  it('asks once for concurrent commands; a trust serves both and is recorded once', async () => {
    const run = pool!.forRun();
    const both = Promise.all([run.exec(node(), ['echo', 'one']), run.exec(node(), ['echo', 'two'])]);
    await asked(1);
    decision.give(true);
    assert.deepEqual(
      (await both).map((r) => r.stdout.trim()),
      ['one', 'two'],
    );
    assert.equal(questions.length, 1);
    const lines = (await fs.readFile(knownHostsFile, 'utf8')).trim().split('\n');
    assert.equal(lines.length, 1, lines.join('\n'));
  });

  it('shares a pending question between the pool and a run, and remembers nothing outside a run', async () => {
    const run = pool!.forRun();
    const fromRun = run.exec(node(), ['true']);
    // Another connection of its own (another login): its verification waits for the same answer.
    const fromTree = pool!.exec({ ...node(), identityFile: undefined }, ['true']);
    await asked(1);
    await waitFor(() => checked === 2, { what: 'both connections at the host key' });
    decision.give(false);
    await assert.rejects(fromRun, refused);
    await assert.rejects(fromTree, refused);
    assert.equal(questions.length, 1);
    // Outside a run (the tree's Connect), a later connection asks again.
    undecided();
    const again = pool!.exec(node(), ['true']);
    await asked(2);
    decision.give(false);
    await assert.rejects(again, refused);
  });
});
