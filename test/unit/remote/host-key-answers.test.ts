// One question per unknown host key: pending answers shared, a run's answers kept, nothing accepted unasked.
import assert from 'node:assert/strict';
import { HostKeyAnswers } from '../../../src/remote/host-key-answers';
import type { HostKeyQuestion } from '../../../src/remote/types';

const question = (extra: Partial<HostKeyQuestion> = {}): HostKeyQuestion => ({
  node: 'gw-3',
  address: '10.250.0.13',
  port: 22,
  keyType: 'ssh-ed25519',
  fingerprint: 'SHA256:l6bn6VfiF4Nd39rUZ447hrcpK1CVSC2UD67vzj5YmGs',
  ...extra,
});

/** A user who answers each question when the test says so. */
function user() {
  const asked: HostKeyQuestion[] = [];
  const pending: Array<(trusted: boolean) => void> = [];
  const ask = (q: HostKeyQuestion) => {
    asked.push(q);
    return new Promise<boolean>((resolve) => pending.push(resolve));
  };
  return { asked, pending, ask };
}

describe('remote: host-key answers', () => {
  it('asks once for concurrent verifications of the same key of the same host', async () => {
    const u = user();
    const answers = new HostKeyAnswers(u.ask, false);
    const first = answers.confirmHostKey(question({ node: 'gw-3' }));
    const second = answers.confirmHostKey(question({ node: 'gw-3 again' }));
    assert.equal(u.asked.length, 1);
    u.pending[0]!(false);
    assert.deepEqual(await Promise.all([first, second]), [false, false]);
  });

  it('keeps a run’s decline and trust for every later verification of that key', async () => {
    const u = user();
    const run = new HostKeyAnswers(u.ask, true);
    const declined = run.confirmHostKey(question());
    u.pending[0]!(false);
    assert.equal(await declined, false);
    assert.equal(await run.confirmHostKey(question()), false);
    const other = run.confirmHostKey(question({ address: '10.250.0.12', node: 'gw-2' }));
    u.pending[1]!(true);
    assert.equal(await other, true);
    assert.equal(await run.confirmHostKey(question({ address: '10.250.0.12', node: 'gw-2' })), true);
    assert.equal(u.asked.length, 2);
  });

  it('asks again for another key, another port, or after the answer when it keeps none', async () => {
    const u = user();
    const answers = new HostKeyAnswers(u.ask, false);
    const first = answers.confirmHostKey(question());
    u.pending[0]!(false);
    await first;
    void answers.confirmHostKey(question());
    void answers.confirmHostKey(question({ port: 2222 }));
    void answers.confirmHostKey(question({ fingerprint: 'SHA256:another' }));
    assert.equal(u.asked.length, 4);
  });

  it('asks again after a prompt that failed (no answer is no trust)', async () => {
    let calls = 0;
    const run = new HostKeyAnswers(async () => {
      calls++;
      if (calls === 1) throw new Error('the dialog was closed');
      return true;
    }, true);
    await assert.rejects(run.confirmHostKey(question()), /the dialog was closed/);
    assert.equal(await run.confirmHostKey(question()), true);
    assert.equal(calls, 2);
  });
});
