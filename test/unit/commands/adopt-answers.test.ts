// "Adopt Existing Cluster…"'s questions: after a failed adopt, Try Again asks them with the previous answers
// filled in (the address, the user, the way to log in first, the key file, the password typed a moment ago).
import assert from 'node:assert/strict';
import { askAdoptAnswers, type AdoptAsker } from '../../../src/commands/adopt-answers';

/** Answers in order; records what each box showed as its value (the prefill). */
function asker(answers: Array<string | undefined>) {
  const shown: Array<{ title: string; value?: string; items?: readonly string[] }> = [];
  const next = () => answers.shift();
  const ui: AdoptAsker = {
    input: async (o) => (shown.push({ title: o.title, value: o.value }), next()),
    pick: async (items, title) => (shown.push({ title, items }), next()),
    file: async (title, current) => (shown.push({ title, value: current }), next()),
  };
  return { ui, shown };
}

describe('commands: the adopt questions', () => {
  it('asks with nothing filled in the first time, and with the previous answers on Try Again', async () => {
    const first = asker(['10.9.0.11', 'gateway', 'A password…', 's3cret']);
    const answers = await askAdoptAnswers(first.ui);
    assert.deepEqual(answers, {
      address: '10.9.0.11',
      user: 'gateway',
      login: 'password',
      password: 's3cret',
    });
    assert.ok(first.shown.every((b) => b.value === undefined));

    // Try Again: every box shows what was typed; Enter through them keeps it all.
    const again = asker(['10.9.0.11', 'gateway', 'A password…', 's3cret']);
    await askAdoptAnswers(again.ui, answers);
    assert.deepEqual(
      again.shown.map((b) => b.value ?? b.items?.[0]),
      ['10.9.0.11', 'gateway', 'A password…', 's3cret'],
    );

    // A key file: offered first next time, and the file picker opens at it.
    const key = asker(['10.9.0.12', '', 'A private key file…', '/home/me/.ssh/gw']);
    const withKey = await askAdoptAnswers(key.ui, answers);
    assert.deepEqual(withKey, {
      address: '10.9.0.12',
      user: '',
      login: 'key',
      identityFile: '/home/me/.ssh/gw',
    });
    const third = asker(['10.9.0.12', '', 'A private key file…', '/home/me/.ssh/gw']);
    await askAdoptAnswers(third.ui, withKey);
    assert.equal(third.shown[2]!.items![0], 'A private key file…');
    assert.equal(third.shown[3]!.value, '/home/me/.ssh/gw');
  });

  it('gives up when a box is dismissed', async () => {
    assert.equal(await askAdoptAnswers(asker([undefined]).ui), undefined);
    assert.equal(await askAdoptAnswers(asker(['10.9.0.11', undefined]).ui), undefined);
    assert.equal(await askAdoptAnswers(asker(['10.9.0.11', 'u', undefined]).ui), undefined);
  });
});
