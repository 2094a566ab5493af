import assert from 'node:assert/strict';
import { parseWebviewMessage } from '../../src/wizards/protocol';

describe('wizard message protocol', () => {
  it('accepts the known messages', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'command', name: 'dryRun' }), {
      type: 'command',
      name: 'dryRun',
    });
  });
  it('rejects malformed or unknown messages', () => {
    for (const bad of [
      null,
      42,
      'ready',
      {},
      { type: 'command', name: 'rm -rf' },
      { type: 'ready', extra: 1 },
    ]) {
      assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad));
    }
  });
});
